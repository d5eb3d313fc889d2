package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;
import io.deskfleet.bench.ControlPlaneApi.ExecutionRecord;
import io.deskfleet.bench.ControlPlaneApi.TaskState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Issue 25's memory row: N real agents each print 5 MiB at once; the control plane's heap before, at its peak while
 * the output streams in (with garbage, and live: what forced full collections every {@link #LIVE_EVERY} leave), and
 * after, and whether every record's stored output is complete, byte for byte. With {@code --compare-heap} the same
 * run is repeated on a control plane with that smaller heap, in the table's second column.
 */
@Command(name = "output", mixinStandardHelpOptions = true,
        description = "N real agents each print 5 MiB at once: the control plane's heap, and every record's output checked.")
public final class OutputBench implements Callable<Integer> {
    static final String PROJECT_ID = "output-project";
    static final int MIB = 1024 * 1024;
    /** {@code seq -f %09g 1 n} prints n lines of 10 bytes: 5 MiB, each offset's content distinct. */
    static final int LINES = 5 * MIB / 10;
    static final String COMMAND = "seq -f '%09g' 1 " + LINES;
    /** The cap is raised above the 5 MiB so that nothing is cut; the default (1 MiB) would keep a fifth. */
    static final int CAP = 6 * MIB;
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
    static final Duration LIVE_EVERY = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);

    @Spec
    CommandSpec spec;
    @Option(names = "--agents", defaultValue = "50", description = "real agents, each printing 5 MiB (default 50)")
    int agents;
    @Option(names = "--agent-launcher", defaultValue = "agent/deskfleet-agent",
            description = "the agent's launcher script (default agent/deskfleet-agent)")
    Path launcher;
    @Option(names = "--control-plane-jar", defaultValue = "control-plane/target/control-plane.jar",
            description = "the control plane to measure (default: the one the build leaves)")
    Path controlPlaneJar;
    @Option(names = "--heap", defaultValue = "1g", description = "the control plane's -Xmx (default 1g)")
    String heap;
    @Option(names = "--compare-heap", description = "run again with this -Xmx (e.g. 160m), in a second column")
    String compareHeap;
    @Option(names = "--histogram-after", description = "seconds after the POST to write the control plane's class "
            + "histogram (jcmd GC.class_histogram) to the working directory, to see what holds the heap")
    Integer histogramAfter;
    @Option(names = "--results", defaultValue = "bench/RESULTS.md",
            description = "file whose top the section goes to (default bench/RESULTS.md)")
    Path results;

    @Override
    public Integer call() throws Exception {
        if (agents < 1 || agents > BenchRunner.MAX_PER_ACTIVATION) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--agents must be 1-" + BenchRunner.MAX_PER_ACTIVATION + ", got " + agents);
        }
        Report report = new Report();
        report.note(Report.machine());
        report.note("control plane: its jar in a child JVM with -Xmx" + heap
                + (compareHeap == null ? "" : " (second column: -Xmx" + compareHeap + ", a separate run)")
                + ", -Xlog:gc, H2 file database, DESKFLEET_OUTPUT_MAX_BYTES_PER_RECORD=" + CAP + "; " + agents
                + " real agents (agent/deskfleet-agent) on this machine run `" + COMMAND + "` (5 MiB each) in one"
                + " task, all at once (one gray batch of all)");
        report.note(MemoryProbe.METHOD + "; peak with garbage: the largest S0U+S1U+EU+OU of `jstat -gc`, without a "
                + "forced collection, every " + SAMPLE_EVERY.toMillis() + " ms from the POST until every record's "
                + "output is complete; live: `jcmd <pid> GC.run` every " + LIVE_EVERY.toSeconds() + " s over the "
                + "same time, the largest heap those full collections left (its GC log); any collection: the largest "
                + "heap any collection of the window left (young ones leave old garbage in place)");
        Path dir = Files.createTempDirectory("deskfleet-output-");
        BenchRunner.log("working directory (logs and database): " + dir);
        RealAgent.prime(launcher);
        Report ours = run(heap, dir.resolve("xmx-" + heap));
        Report compared = compareHeap == null ? null : run(compareHeap, dir.resolve("xmx-" + compareHeap));
        report.addAll(ours, compared, "-Xmx" + compareHeap);
        String section = report.markdown(ZonedDateTime.now());
        System.out.println(section);
        Report.insertAtTop(results, section);
        BenchRunner.log("added at the top of " + results.toAbsolutePath());
        return 0;
    }

    private Report run(String maxHeap, Path dir) throws Exception {
        Files.createDirectories(dir);
        GcLog gcLog = new GcLog(dir.resolve("gc.log"));
        Report report = new Report();
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(controlPlaneJar, dir,
                List.of("-Xmx" + maxHeap, gcLog.option()),
                Map.of("DESKFLEET_OUTPUT_MAX_BYTES_PER_RECORD", Integer.toString(CAP)))) {
            ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), PROJECT_ID);
            api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
            String poolId = api.createPool("output");
            List<RealAgent> fleet = startFleet(controlPlane, api, poolId, dir.resolve("agents"));
            try {
                measure(controlPlane, api, poolId, new Sampler(controlPlane.pid(), gcLog, dir), report);
            } finally {
                fleet.forEach(RealAgent::close);
            }
        }
        return report;
    }

    private List<RealAgent> startFleet(ControlPlaneProcess controlPlane, ControlPlaneApi api, String poolId, Path dir)
            throws Exception {
        Activation activation = api.createActivation(poolId, agents);
        List<RealAgent> fleet = new ArrayList<>();
        for (int i = 1; i <= agents; i++) {
            if (i > RealAgentBench.STARTING_AT_ONCE) {
                // one machine plays every desktop: a window of starting JVMs keeps each within its registration deadline
                fleet.get(i - 1 - RealAgentBench.STARTING_AT_ONCE).awaitConnected(CONNECT_TIMEOUT);
            }
            fleet.add(RealAgent.start(launcher, controlPlane.grpcTarget(), PROJECT_ID, poolId, activation,
                    String.format("out-%02d", i), dir));
        }
        for (RealAgent agent : fleet) {
            agent.awaitConnected(CONNECT_TIMEOUT);
        }
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        int online;
        while ((online = api.onlineCount(poolId)) < agents) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(online + " of " + agents + " agents online after " + CONNECT_TIMEOUT);
            }
            Thread.sleep(200);
        }
        return fleet;
    }

    /** Heap samples from the POST until every output is complete. */
    private final class Sampler {
        private final long pid;
        private final GcLog gcLog;
        private final Path dir;
        private long peak;
        private long started;
        private long lastLive;
        private long gcMark;
        private boolean histogramTaken;

        Sampler(long pid, GcLog gcLog, Path dir) {
            this.pid = pid;
            this.gcLog = gcLog;
            this.dir = dir;
        }

        void start() throws Exception {
            gcMark = gcLog.mark();
            started = System.nanoTime();
            lastLive = started;
        }

        void sample() throws Exception {
            long now = System.nanoTime();
            if (now - lastLive >= LIVE_EVERY.toNanos()) {
                lastLive = now;
                MemoryProbe.collect(pid);
            }
            peak = Math.max(peak, MemoryProbe.heapUsedWithoutCollecting(pid));
            if (histogramAfter != null && !histogramTaken && now - started >= histogramAfter * 1_000_000_000L) {
                histogramTaken = true;
                Path file = dir.resolve("histogram-" + histogramAfter + "s.txt");
                Files.writeString(file, MemoryProbe.histogram(pid));
                BenchRunner.log("class histogram written to " + file);
            }
        }

        long peak() {
            return peak;
        }

        GcLog.Collections collections() throws Exception {
            return gcLog.since(gcMark);
        }
    }

    private void measure(ControlPlaneProcess controlPlane, ControlPlaneApi api, String poolId, Sampler sampler,
                         Report report) throws Exception {
        long pid = controlPlane.pid();
        MemoryProbe.Memory before = MemoryProbe.measure(pid);
        sampler.start();
        long posted = System.nanoTime();
        // a gray batch of every desktop: all start at once (the API takes no threshold without a gray batch)
        String taskId = api.startExecution(poolId, COMMAND, agents, 1);
        TaskState state;
        while (!ControlPlaneApi.TERMINAL.contains((state = api.task(taskId)).status())) {
            if (System.nanoTime() - posted > JOB_TIMEOUT.toNanos()) {
                throw new TimeoutException("task " + taskId + " not ended within " + JOB_TIMEOUT + ": " + state);
            }
            sampler.sample();
            Thread.sleep(SAMPLE_EVERY.toMillis());
        }
        double seconds = (System.nanoTime() - posted) / 1e9;
        sampler.sample();
        if (!state.status().equals("SUCCESS") || state.successNum() != agents) {
            throw new IllegalStateException("task " + taskId + " ended " + state + " although every agent exits 0");
        }
        // A record ends with its result; its output may still be coming in (X-Output-Complete: false) while the
        // control plane asks the agent again for chunks its full queue dropped ("Record output").
        List<ExecutionRecord> records = api.executionRecords(taskId);
        long ended = System.nanoTime();
        for (ExecutionRecord record : records) {
            while (!"true".equals(api.recordOutput(record.id(), "bytes=0-0").headers()
                    .firstValue("X-Output-Complete").orElse(null))) {
                if (System.nanoTime() - ended > JOB_TIMEOUT.toNanos()) {
                    throw new TimeoutException("record " + record.id() + " output not complete within " + JOB_TIMEOUT);
                }
                sampler.sample();
                Thread.sleep(SAMPLE_EVERY.toMillis());
            }
        }
        double completing = (System.nanoTime() - ended) / 1e9;
        GcLog.Collections collections = sampler.collections();
        MemoryProbe.Memory after = MemoryProbe.measure(pid);
        int complete = completeOutputs(api, records);

        report.add(agents + " real agents x 5 MiB of output: POST to the task's end",
                String.format(Locale.ROOT, "%.1f s", seconds));
        report.add("then until every record's output is complete (X-Output-Complete: true)",
                String.format(Locale.ROOT, "%.1f s", completing));
        report.add("control-plane heap used before (after a full GC)", mib(before.heapUsedBytes()));
        report.add("control-plane heap used, peak from the POST until every output is complete (not collected first)",
                mib(sampler.peak()));
        report.add("control-plane live heap, largest left by the forced full collections every "
                + LIVE_EVERY.toSeconds() + " s over the same time (GC log)",
                collections.maxAfterFullMib() + " MiB (" + collections.full() + " collections)");
        report.add("control-plane heap left by any collection over the same time, largest (GC log)",
                collections.maxAfterMib() + " MiB (" + collections.count() + " collections)");
        report.add("control-plane heap used once every output is complete (after a full GC)", mib(after.heapUsedBytes()));
        report.add("control-plane VmRSS before / after", mib(before.rssBytes()) + " / " + mib(after.rssBytes()));
        report.add("records whose stored output is the 5 MiB printed, byte for byte, not truncated and complete",
                complete + " of " + agents);
        if (complete != agents) {
            throw new IllegalStateException((agents - complete) + " records lost output; see the table above: "
                    + report.markdown(ZonedDateTime.now()));
        }
    }

    /** How many records serve exactly the bytes printed, marked neither truncated nor incomplete. */
    private int completeOutputs(ControlPlaneApi api, List<ExecutionRecord> records) throws Exception {
        byte[] expected = printed();
        int complete = 0;
        for (ExecutionRecord record : records) {
            HttpResponse<byte[]> output = api.recordOutput(record.id(), null);
            boolean same = output.statusCode() == 200 && Arrays.equals(expected, output.body())
                    && "false".equals(output.headers().firstValue("X-Output-Truncated").orElse(null))
                    && "true".equals(output.headers().firstValue("X-Output-Complete").orElse(null));
            if (same) {
                complete++;
            } else {
                BenchRunner.log("record " + record.id() + ": status " + output.statusCode() + ", "
                        + output.body().length + " bytes, headers " + output.headers().map());
            }
        }
        return complete;
    }

    static byte[] printed() {
        byte[] out = new byte[LINES * 10];
        for (int i = 1; i <= LINES; i++) {
            System.arraycopy(String.format("%09d\n", i).getBytes(StandardCharsets.US_ASCII), 0, out, (i - 1) * 10, 10);
        }
        return out;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
