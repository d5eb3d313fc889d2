package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;
import io.deskfleet.bench.ControlPlaneApi.TaskState;
import io.deskfleet.bench.MemoryProbe.Memory;
import io.deskfleet.bench.swarm.CommandArrival;
import io.deskfleet.bench.swarm.DesktopSwarm;
import io.deskfleet.bench.swarm.SwarmTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * `bench run`: starts the real control-plane jar, puts simulated agents on it and measures fan-out throughput,
 * dispatch latency and the control plane's memory per connected agent.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Starts the control-plane jar on free ports and measures it under a swarm of simulated agents.")
public final class BenchRunner implements Callable<Integer> {
    static final String PROJECT_ID = "bench-project";
    static final String COMMAND = "true";
    static final int GRAY_COUNT = 100;
    static final int GRAY_FAIL_THRESHOLD = 1;
    static final int DISPATCH_SAMPLES = 200;
    /**
     * A method called once per request reaches C2 after 5,000-15,000 calls, so after 2,000 executions the control
     * plane was still compiling its request path: 100-220 ms compilations on one of the 2 cores, each of them under
     * a slow sample (p99 6.0-10.5 ms after 2,000, 2.8-6.3 ms after 10,000; 2026-12-03).
     */
    static final int DISPATCH_WARMUP = 10_000;
    /** Unmeasured fan-outs before the measured runs, the first of them reported on its own. */
    static final int WARM_UP_RUNS = 10;
    /** The API caps an activation's registration_limit at this; a larger fleet gets several activations. */
    static final int MAX_PER_ACTIVATION = 10_000;
    private static final long POLL_MS = 20;
    private static final Duration TASK_TIMEOUT = Duration.ofMinutes(10);

    @Spec
    CommandSpec spec;
    @Option(names = "--agents", split = ",", defaultValue = "1000",
            description = "swarm sizes for registration, fan-out and memory, comma-separated (default 1000; full run "
                    + "1000,10000,100000); a size the descriptor limit cannot hold gets a row saying so")
    List<Integer> agents;
    @Option(names = "--tls-agents", split = ",", defaultValue = "0",
            description = "swarm sizes measured the same way over TLS, on a second control plane with a self-signed "
                    + "certificate (default 0: none; full run 10000)")
    List<Integer> tlsAgents;
    @Option(names = "--agents-per-connection", defaultValue = "1",
            description = "simulated agents sharing one gRPC connection (default 1: each desktop its own, as in a real "
                    + "fleet); named in every row when more than 1")
    int agentsPerConnection;
    @Option(names = "--baseline-jar", paramLabel = "JAR",
            description = "a second control-plane jar (e.g. the previous commit's) whose dispatch-latency and fan-out "
                    + "rows are measured in the same run and printed beside this one's")
    Path baselineJar;
    @Option(names = "--runs", defaultValue = "3", description = "fan-out runs per swarm size; the median is reported")
    int runs;
    @Option(names = "--skip-memory", description = "do not measure the control plane's memory")
    boolean skipMemory;
    @Option(names = "--control-plane-jar", defaultValue = "control-plane/target/control-plane.jar",
            description = "the control plane to measure (default: the one the build leaves)")
    Path controlPlaneJar;
    @Option(names = "--real-agents", defaultValue = "50",
            description = "real agent processes for the `hostname` job and the Ansible comparison (0 skips both)")
    int realAgents;
    @Option(names = "--agent-launcher", defaultValue = "agent/deskfleet-agent",
            description = "the agent's launcher script (it finds agent/target/agent.jar next to it)")
    Path agentLauncher;
    @Option(names = "--skip-ansible", description = "do not run the same job with Ansible")
    boolean skipAnsible;
    @Option(names = "--profile", paramLabel = "FILE.jfr",
            description = "record the control plane with Java Flight Recorder (profile settings) into this file")
    Path profile;

    @Option(names = "--control-plane-jvm-option", paramLabel = "OPTION",
            description = "an extra option for the control plane's JVM, e.g. -agentpath:.../libasyncProfiler.so=..."
                    + " for a wall-clock profile (repeatable)")
    List<String> controlPlaneJvmOptions = new ArrayList<>();
    @Option(names = "--results", defaultValue = "bench/RESULTS.md", description = "file whose top the section goes to (default bench/RESULTS.md)")
    Path results;

    public static void main(String[] args) {
        System.exit(BenchMain.execute(new BenchRunner(), args));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Report report = new Report();
        report.note(Report.machine());
        report.note("control plane: its jar in a child JVM with -Xmx1g, H2 file database, heartbeat interval "
                + ControlPlaneProcess.HEARTBEAT_INTERVAL + "; agents: one swarm in the runner's JVM, "
                + connectionsNote() + ", registering all at once (no client throttle)");
        DescriptorLimit runnerLimit = DescriptorLimit.of(ProcessHandle.current().pid());
        report.note("descriptors: the runner's " + runnerLimit + "; the control plane inherits it (each connected "
                + "desktop holds one descriptor in each process)");
        log("descriptor limit of the runner: " + runnerLimit + ", so at most " + runnerLimit.maxConnections()
                + " connections per process");
        report.note("fan-out: POST script-executions (`" + COMMAND + "`, gray_count " + GRAY_COUNT
                + ", gray_fail_threshold " + GRAY_FAIL_THRESHOLD + ") until the task is terminal with "
                + "success_num+failed_num+skip_num = N, polled every " + POLL_MS + " ms; median of " + runs
                + " runs after " + WARM_UP_RUNS + " unmeasured");
        Path dir = Files.createTempDirectory("deskfleet-bench-");
        log("working directory (control-plane log and database): " + dir);
        List<String> jvmOptions = new ArrayList<>(controlPlaneJvmOptions);
        if (profile != null) {
            jvmOptions.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + profile.toAbsolutePath());
        }
        Report comparable = new Report();
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(controlPlaneJar, dir, jvmOptions)) {
            log("control plane: " + DescriptorLimit.of(controlPlane.pid()));
            ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), PROJECT_ID);
            api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
            dispatchLatency(controlPlane, api, comparable);
            if (!skipMemory) {
                // Taken after the dispatch runs: a warmed-up control plane with no agent online.
                report.note("memory: " + MemoryProbe.METHOD + "; per agent = (value with N connected - value just"
                        + " before they connected) / N");
                addMemory(report, "0 agents", MemoryProbe.measure(controlPlane.pid()), null, 0);
            }
            if (realAgents > 0) {
                new RealAgentBench(controlPlane, api, report, runs, realAgents, agentLauncher,
                        dir.resolve("agents"), skipAnsible ? null : dir.resolve("ansible")).run();
            }
            for (int n : agents.stream().sorted().distinct().toList()) {
                fanOut(controlPlane, api, comparable, n, "");
            }
        }
        List<Integer> tlsSizes = tlsAgents.stream().filter(n -> n > 0).sorted().distinct().toList();
        Report tlsRows = new Report();
        if (!tlsSizes.isEmpty()) {
            tls(dir.resolve("tls"), report, tlsRows, tlsSizes);
        }
        Report baseline = null;
        if (baselineJar != null) {
            baseline = new Report();
            try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(baselineJar, dir.resolve("baseline"),
                    controlPlaneJvmOptions, Map.of())) {
                log("baseline control plane " + baselineJar + " started");
                ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), PROJECT_ID);
                api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
                dispatchLatency(controlPlane, api, baseline);
                for (int n : agents.stream().sorted().distinct().toList()) {
                    fanOut(controlPlane, api, baseline, n, "");
                }
            }
        }
        report.addAll(comparable, baseline, baselineJar == null ? null : "baseline " + baselineJar);
        report.addAll(tlsRows, null, null);
        String section = report.markdown(ZonedDateTime.now());
        System.out.println(section);
        Report.insertAtTop(results, section);
        log("added at the top of " + results.toAbsolutePath());
        return 0;
    }

    private void validate() {
        for (int n : agents) {
            if (n < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--agents: each size must be at least 1, got " + n);
            }
        }
        if (agentsPerConnection < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--agents-per-connection must be at least 1, got " + agentsPerConnection);
        }
        if (baselineJar != null && !Files.isRegularFile(baselineJar)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline-jar: no file " + baselineJar);
        }
        if (realAgents < 0 || realAgents > 0 && realAgents <= RealAgentBench.GRAY) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--real-agents must be 0 or more than "
                    + RealAgentBench.GRAY + ", got " + realAgents);
        }
        if (runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1, got " + runs);
        }
    }

    private void dispatchLatency(ControlPlaneProcess controlPlane, ControlPlaneApi api, Report report)
            throws Exception {
        BlockingQueue<CommandArrival> arrivals = new LinkedBlockingQueue<>();
        String poolId = api.createPool("bench-dispatch");
        try (Fleet fleet = startFleet(controlPlane, api, poolId, 1, plaintext(controlPlane, 1), arrivals::add, null,
                "")) {
            DesktopSwarm swarm = fleet.first();
            List<Double> latenciesMs = new ArrayList<>();
            List<Double> answeredMs = new ArrayList<>();
            // The first executions of a fresh JVM run interpreted code; the figure is the steady state.
            for (int i = -DISPATCH_WARMUP; i < DISPATCH_SAMPLES; i++) {
                arrivals.clear();
                long postedAt = System.nanoTime();
                String taskId = api.startExecution(poolId, COMMAND, GRAY_COUNT, GRAY_FAIL_THRESHOLD);
                long answeredAt = System.nanoTime();
                CommandArrival arrival = arrivals.poll(30, TimeUnit.SECONDS);
                if (arrival == null) {
                    throw new IllegalStateException("task " + taskId + ": no RunCommand reached the agent within 30 s");
                }
                if (i >= 0) {
                    latenciesMs.add((arrival.arrivedNanos() - postedAt) / 1e6);
                    answeredMs.add((answeredAt - postedAt) / 1e6);
                }
                // Sequential: the next execution starts when this one is over, which the agent learns first (its
                // result is acknowledged once stored, task state included); polling instead would keep the
                // "idle" control plane busy answering polls.
                if (!swarm.ledger().awaitAcknowledged(arrival.invocationId(), TASK_TIMEOUT)) {
                    throw new TimeoutException("task " + taskId + ": result not acknowledged within " + TASK_TIMEOUT);
                }
                requireSuccess(api, taskId, 1);
            }
            report.add("dispatch latency p50, POST to RunCommand at the agent (1 agent, idle, " + DISPATCH_SAMPLES
                    + " sequential executions after " + DISPATCH_WARMUP + " unmeasured)",
                    ms(Stats.percentile(latenciesMs, 50)));
            report.add("dispatch latency p99", ms(Stats.percentile(latenciesMs, 99)));
            report.add("POST script-executions answered (task stored), p50", ms(Stats.percentile(answeredMs, 50)));
            report.add("POST script-executions answered, p99", ms(Stats.percentile(answeredMs, 99)));
        }
    }

    /**
     * One fleet size: its registration herd, the control plane's memory per connection, then the fan-outs.
     *
     * @param variant said in every row's name after the size, e.g. " over TLS"
     */
    private void fanOut(ControlPlaneProcess controlPlane, ControlPlaneApi api, Report report, int n, String variant)
            throws Exception {
        String label = n + " agents" + variant + sharingNote();
        String refusal = DescriptorLimit.of(controlPlane.pid()).refusal("the control plane", connections(n));
        if (refusal == null) {
            refusal = DescriptorLimit.of(ProcessHandle.current().pid()).refusal("the runner", connections(n));
        }
        if (refusal != null) {
            log(label + ": " + refusal);
            report.add("registration, fan-out and memory, " + label, refusal);
            return;
        }
        SwarmTransport transport = variant.isEmpty() ? plaintext(controlPlane, connections(n))
                : SwarmTransport.tls(controlPlane.grpcTarget(), controlPlane.tlsCertificate(), connections(n));
        String poolId = api.createPool("bench-" + n);
        FanOutPhases phases = new FanOutPhases(GRAY_COUNT);
        // The baseline is taken just before this swarm connects, not once at the start: between the two the live heap
        // moved by as much as 1,000 agents add (41.5 MB idle at the start, 36.1 MB later with 1,000 connected, so the
        // per-agent figure came out negative).
        Memory before = skipMemory ? null : MemoryProbe.measure(controlPlane.pid());
        String classesBefore = skipMemory ? null : MemoryProbe.histogram(controlPlane.pid());
        try (Fleet fleet = startFleet(controlPlane, api, poolId, n, transport, phases, report, label)) {
            if (before != null) {
                addMemory(report, label, MemoryProbe.measure(controlPlane.pid()), before, n);
                log("control-plane heap per connected agent by class (" + label + "), the 15 that grew most:\n"
                        + HeapByClass.format(HeapByClass.perAgent(classesBefore,
                        MemoryProbe.histogram(controlPlane.pid()), n, 15)));
            }
            List<Double> seconds = new ArrayList<>();
            List<Double> cpuSeconds = new ArrayList<>();
            List<Double> swarmCpuSeconds = new ArrayList<>();
            // Unmeasured runs first: a fresh control plane's JIT compiler goes on compiling through its first ten or
            // so fan-outs (to 10,000 desktops on 2 cores, 2026-12-03: 1.3-1.6 s and 2-2.6 s of CPU each at first,
            // 0.8-1.0 s and 1.2-1.4 s from about the tenth). The figures are of a control plane that has been up a
            // while, as one in production has; the first run is reported on its own.
            double first = timedExecution(api, poolId, COMMAND, GRAY_COUNT, n);
            log("fan-out to " + label + ", first run after start: " + String.format(Locale.ROOT, "%.3f s", first));
            for (int warmUp = 2; warmUp <= WARM_UP_RUNS; warmUp++) {
                log("fan-out to " + label + ", unmeasured warm-up run " + warmUp + ": " + String.format(Locale.ROOT,
                        "%.3f s", timedExecution(api, poolId, COMMAND, GRAY_COUNT, n)));
            }
            for (int run = 1; run <= runs; run++) {
                double cpuBefore = controlPlane.cpuSeconds();
                double swarmCpuBefore = ControlPlaneProcess.cpuSeconds(ProcessHandle.current().pid());
                phases.reset(n);
                long postedAt = System.nanoTime();
                String taskId = api.startExecution(poolId, COMMAND, GRAY_COUNT, GRAY_FAIL_THRESHOLD);
                long answeredAt = System.nanoTime();
                long terminalAt = awaitTask(api, poolId, taskId, n);
                phases.record(postedAt, answeredAt);
                double elapsed = (terminalAt - postedAt) / 1e9;
                cpuSeconds.add(controlPlane.cpuSeconds() - cpuBefore);
                swarmCpuSeconds.add(ControlPlaneProcess.cpuSeconds(ProcessHandle.current().pid()) - swarmCpuBefore);
                log("fan-out to " + label + ", run " + run + ": " + String.format(Locale.ROOT, "%.3f s", elapsed));
                seconds.add(elapsed);
            }
            double median = Stats.median(seconds);
            report.add("fan-out " + label + ": POST to terminal, median s (runs: " + seconds.stream()
                    .map(s -> String.format(Locale.ROOT, "%.3f", s)).toList() + ")",
                    String.format(Locale.ROOT, "%.3f", median));
            report.add("fan-out " + label + ": results/s", String.format(Locale.ROOT, "%.0f", n / median));
            report.add("fan-out " + label + ": the first run after the control plane started (not in the median),"
                    + " s", String.format(Locale.ROOT, "%.3f", first));
            phases.report(report, "fan-out " + label + ": ");
            addCpu(report, "fan-out " + label + ": control-plane CPU time (user+sys) per fan-out", cpuSeconds);
            addCpu(report, "fan-out " + label + ": the runner's CPU time (the simulated agents and the polls)",
                    swarmCpuSeconds);
        }
    }

    /** The TLS rows: a second control plane serving agents over TLS, with a certificate made for this run. */
    private void tls(Path dir, Report report, Report rows, List<Integer> sizes) throws Exception {
        Files.createDirectories(dir);
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir);
        report.note("TLS: a second control plane (the same jar and options) with DESKFLEET_AGENTLINK_TLS_CERT_CHAIN/"
                + "_PRIVATE_KEY set to " + SelfSignedCertificate.DESCRIPTION + "; the swarm trusts that certificate");
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(controlPlaneJar, dir, controlPlaneJvmOptions,
                certificate.environment())) {
            ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), PROJECT_ID);
            api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
            for (int n : sizes) {
                fanOut(controlPlane, api, rows, n, " over TLS");
            }
        }
    }

    private int connections(int n) {
        return (n + agentsPerConnection - 1) / agentsPerConnection;
    }

    private String sharingNote() {
        return agentsPerConnection == 1 ? "" : " (" + agentsPerConnection + " per connection)";
    }

    private String connectionsNote() {
        return agentsPerConnection == 1 ? "each simulated desktop on its own gRPC connection"
                : agentsPerConnection + " simulated desktops per gRPC connection (--agents-per-connection)";
    }

    private static SwarmTransport plaintext(ControlPlaneProcess controlPlane, int connections) {
        return SwarmTransport.plaintext(controlPlane.grpcTarget(), connections);
    }

    /**
     * A fleet registered all at once, once the control plane reports every agent online; with a report, the
     * registration's rows: the time until all are online, and how many gave up.
     */
    private Fleet startFleet(ControlPlaneProcess controlPlane, ControlPlaneApi api, String poolId, int n,
                             SwarmTransport transport, Consumer<CommandArrival> arrivals, Report report,
                             String label) throws Exception {
        log(n + " agents: " + connections(n) + " connections, " + transport.detail());
        long started = System.nanoTime();
        Fleet fleet = Fleet.start(api, poolId, n, agentsPerConnection, transport, arrivals);
        try {
            // Generous: registration hashes a credential per agent on the control plane.
            Duration patience = Duration.ofSeconds(60).plusMillis(30L * n);
            fleet.awaitConnected(patience);
            log(n + " agents registered and connected in " + secondsSince(started));
            long deadline = System.nanoTime() + patience.toNanos();
            int online = api.onlineCount(poolId);
            while (online < n) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("control plane reports " + online + " of " + n
                            + " desktops agent_online after " + patience + "; log: " + controlPlane.log());
                }
                Thread.sleep(100);
                online = api.onlineCount(poolId);
            }
            String took = secondsSince(started);
            log(n + " agents online at the control plane after " + took);
            if (report != null) {
                report.add("registration, " + label + ", all at once: until all online (API), s ("
                        + transport.describe() + ")", took.replace(" s", ""));
                report.add("registration, " + label + ": agents that gave up / Register calls / answered "
                        + "RESOURCE_EXHAUSTED", fleet.gaveUp() + " / " + fleet.registerCalls() + " / "
                        + fleet.registerShed());
            }
            return fleet;
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * Polls the pool's task listing (counts only) until the task is terminal with every desktop counted, then reads
     * the task itself once and requires SUCCESS.
     *
     * @return System.nanoTime() when the terminal state was seen (before the final check)
     */
    private static long awaitTask(ControlPlaneApi api, String poolId, String taskId, int n) throws Exception {
        long deadline = System.nanoTime() + TASK_TIMEOUT.toNanos();
        TaskState state = api.newestPoolTask(poolId, taskId);
        while (!(state.terminal() && state.finished() == n)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("task " + taskId + " not terminal with " + n + " desktops counted after "
                        + TASK_TIMEOUT + "; last seen " + state);
            }
            Thread.sleep(POLL_MS);
            state = api.newestPoolTask(poolId, taskId);
        }
        long seenAt = System.nanoTime();
        requireSuccess(api, taskId, n);
        return seenAt;
    }

    /** Starts one execution on the pool and waits for it as {@link #awaitTask} does: seconds from before the POST. */
    static double timedExecution(ControlPlaneApi api, String poolId, String command, int grayCount, int n)
            throws Exception {
        long postedAt = System.nanoTime();
        String taskId = api.startExecution(poolId, command, grayCount, GRAY_FAIL_THRESHOLD);
        return (awaitTask(api, poolId, taskId, n) - postedAt) / 1e9;
    }

    /** Reads the task by id: it must have ended SUCCESS with n desktops counted, as every agent exits 0. */
    private static void requireSuccess(ControlPlaneApi api, String taskId, int n) throws Exception {
        TaskState state = api.task(taskId);
        if (!state.status().equals("SUCCESS") || state.finished() != n) {
            throw new IllegalStateException("task " + taskId + " ended " + state
                    + " although every agent exits 0");
        }
    }

    private static void addCpu(Report report, String figure, List<Double> cpuSeconds) {
        report.add(figure + ", median s (runs: " + cpuSeconds.stream()
                .map(c -> String.format(Locale.ROOT, "%.2f", c)).toList() + ")",
                String.format(Locale.ROOT, "%.2f", Stats.median(cpuSeconds)));
    }

    private static void addMemory(Report report, String label, Memory memory, Memory before, int n) {
        report.add("control-plane heap used after GC, " + label + " connected", mb(memory.heapUsedBytes()));
        report.add("control-plane RSS, " + label + " connected", mb(memory.rssBytes()));
        if (before != null) {
            report.add("heap bytes per connected agent (" + label + ")",
                    Long.toString((memory.heapUsedBytes() - before.heapUsedBytes()) / n));
            report.add("RSS bytes per connected agent (" + label + ")",
                    Long.toString((memory.rssBytes() - before.rssBytes()) / n));
        }
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }

    private static String secondsSince(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
