package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;
import io.deskfleet.bench.ControlPlaneApi.ExecutionRecord;
import io.deskfleet.bench.ControlPlaneApi.TaskState;
import io.deskfleet.bench.MemoryProbe.Memory;
import io.deskfleet.bench.swarm.DesktopSwarm;
import io.deskfleet.bench.swarm.SwarmConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * `bench soak`: executions run without pause on a swarm whose agents break their streams at random, for a while;
 * then every task must end and every record must hold what its desktop reported, and no invocation may have run
 * twice.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Runs executions continuously on simulated agents that reconnect at random, then counts lost, "
                + "doubled and stuck invocations.")
public final class SoakBench implements Callable<Integer> {
    static final String PROJECT_ID = "soak-project";
    static final String COMMAND = "true";
    static final int GRAY_COUNT = 10;
    /** The control plane's defaults, which the soak runs with: every invocation ends within their sum. */
    static final Duration DELIVERY_WINDOW = Duration.ofSeconds(60);
    static final Duration EXECUTION_TIMEOUT = Duration.ofMinutes(1);
    static final Duration RESULT_GRACE = Duration.ofSeconds(30);
    /** A task with a gray batch runs two batches one after the other, each bounded as above. */
    static final Duration TASK_BOUND = DELIVERY_WINDOW.plus(EXECUTION_TIMEOUT).plus(RESULT_GRACE).multipliedBy(2);
    private static final long POLL_MS = 500;

    @Spec
    CommandSpec spec;
    @Option(names = "--agents", defaultValue = "1000", description = "simulated agents (default 1000)")
    int agents;
    @Option(names = "--duration", defaultValue = "5m", converter = Durations.class,
            description = "how long executions are started, e.g. 300s, 5m (default 5m)")
    Duration duration;
    @Option(names = "--reconnect-mean", defaultValue = "30s", converter = Durations.class,
            description = "mean time between one agent's stream drops (default 30s)")
    Duration reconnectMean;
    @Option(names = "--latency", defaultValue = "2s", converter = Durations.class,
            description = "how long a simulated command runs (default 2s)")
    Duration latency;
    @Option(names = "--tasks-in-flight", defaultValue = "2", description = "executions running at once (default 2)")
    int tasksInFlight;
    @Option(names = "--control-plane-jar", defaultValue = "control-plane/target/control-plane.jar",
            description = "the control plane to measure (default: the one the build leaves)")
    Path controlPlaneJar;
    @Option(names = "--results", defaultValue = "bench/RESULTS.md", description = "file whose top the section goes to (default bench/RESULTS.md)")
    Path results;

    @Override
    public Integer call() throws Exception {
        validate();
        Report report = new Report();
        report.note(Report.machine());
        report.note("load average (1/5/15 min) at the start: " + loadAverage() + " (the machine is shared; "
                + "other builds and tests ran at the same time)");
        report.note("control plane: its jar in a child JVM with -Xmx1g, H2 file database, default windows (delivery "
                + DELIVERY_WINDOW.toSeconds() + " s, result grace " + RESULT_GRACE.toSeconds() + " s), heartbeat "
                + ControlPlaneProcess.HEARTBEAT_INTERVAL);
        report.note("load: " + agents + " simulated agents; " + tasksInFlight + " executions at a time (`" + COMMAND
                + "`, gray_count " + GRAY_COUNT + ", each agent answers after " + latency.toMillis() + " ms) for "
                + duration.toSeconds() + " s; each agent drops its stream at random, on average every "
                + reconnectMean.toSeconds() + " s, and reconnects with backoff");
        Path dir = Files.createTempDirectory("deskfleet-soak-");
        BenchRunner.log("working directory (control-plane log and database): " + dir);
        SoakAudit audit;
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(controlPlaneJar, dir)) {
            ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), PROJECT_ID);
            api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
            String poolId = api.createPool("soak");
            try (DesktopSwarm swarm = startSwarm(controlPlane, api, poolId)) {
                Memory before = MemoryProbe.measure(controlPlane.pid());
                swarm.churn(reconnectMean);
                List<String> tasks = runContinuously(api, poolId);
                swarm.stopChurn();
                BenchRunner.log(tasks.size() + " executions started; " + swarm.drops() + " streams dropped");
                long stuck = awaitTasks(api, tasks);
                List<ExecutionRecord> records = new ArrayList<>();
                for (String taskId : tasks) {
                    records.addAll(api.executionRecords(taskId));
                }
                audit = SoakAudit.of(swarm.ledger(), records, stuck);
                swarm.awaitConnected(Duration.ofMinutes(2));
                Memory after = MemoryProbe.measure(controlPlane.pid());
                report.add("executions (tasks) started", Integer.toString(tasks.size()));
                report.add("stream drops", Long.toString(swarm.drops()));
                report.add("records", Long.toString(audit.records()));
                report.add("records by status", audit.byStatus().toString());
                report.add("invocations executed by the swarm", Long.toString(audit.executed()));
                report.add("RunCommand for an id already seen (not run again)",
                        Long.toString(swarm.ledger().redeliveries()));
                report.add("lost (never terminal / result sent but not stored)", audit.lost() + " ("
                        + audit.neverTerminal() + " / " + audit.notStored() + ")");
                report.add("doubled (an invocation executed twice)", Long.toString(audit.doubled()));
                report.add("stuck (tasks not terminal " + TASK_BOUND.toSeconds() + " s after the last start)",
                        Long.toString(audit.stuck()));
                report.add("control-plane heap used after GC, before / after", BenchRunner.mb(before.heapUsedBytes())
                        + " / " + BenchRunner.mb(after.heapUsedBytes()));
                report.add("control-plane RSS, before / after", BenchRunner.mb(before.rssBytes()) + " / "
                        + BenchRunner.mb(after.rssBytes()));
            }
        }
        report.note("load average at the end: " + loadAverage());
        report.note("memory: " + MemoryProbe.METHOD + "; before = swarm connected, before any execution; after = "
                + "every task ended and the swarm reconnected");
        String section = report.markdown(ZonedDateTime.now());
        System.out.println(section);
        Report.insertAtTop(results, section);
        BenchRunner.log("added at the top of " + results.toAbsolutePath());
        return audit.clean() ? 0 : 1;
    }

    private void validate() {
        if (agents < 1 || agents > BenchRunner.MAX_PER_ACTIVATION) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--agents must be 1.." + BenchRunner.MAX_PER_ACTIVATION + ", got " + agents);
        }
        if (tasksInFlight < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tasks-in-flight must be at least 1, got " + tasksInFlight);
        }
        if (duration.isZero() || reconnectMean.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--duration and --reconnect-mean must be positive");
        }
    }

    private DesktopSwarm startSwarm(ControlPlaneProcess controlPlane, ControlPlaneApi api, String poolId)
            throws Exception {
        Activation activation = api.createActivation(poolId, agents);
        DesktopSwarm swarm = DesktopSwarm.start(
                SwarmConfig.of(PROJECT_ID, poolId, activation.id(), activation.code(), agents, 0, latency),
                SwarmTransport.plaintext(controlPlane.grpcTarget(), agents),
                arrival -> { });
        try {
            Duration patience = Duration.ofSeconds(60).plusMillis(30L * agents);
            swarm.awaitConnected(patience);
            long deadline = System.nanoTime() + patience.toNanos();
            while (api.onlineCount(poolId) < agents) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("not every desktop online after " + patience);
                }
                Thread.sleep(1000);
            }
            BenchRunner.log(agents + " agents online");
            return swarm;
        } catch (Exception e) {
            swarm.close();
            throw e;
        }
    }

    /** Keeps tasksInFlight executions running until the duration is over; returns every task started. */
    private List<String> runContinuously(ControlPlaneApi api, String poolId) throws Exception {
        List<String> started = new ArrayList<>();
        List<String> running = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        long nextLog = System.nanoTime();
        while (System.nanoTime() < end) {
            while (running.size() < tasksInFlight) {
                String taskId = api.startExecution(poolId, COMMAND, GRAY_COUNT, 1);
                started.add(taskId);
                running.add(taskId);
            }
            Thread.sleep(POLL_MS);
            for (String taskId : List.copyOf(running)) {
                if (api.task(taskId).terminal()) {
                    running.remove(taskId);
                }
            }
            if (System.nanoTime() > nextLog) {
                BenchRunner.log(started.size() + " executions started");
                nextLog = System.nanoTime() + 30_000_000_000L;
            }
        }
        return started;
    }

    /** Waits up to {@link #TASK_BOUND} for every task to end; returns how many did not. */
    private static long awaitTasks(ControlPlaneApi api, List<String> tasks) throws Exception {
        Map<String, TaskState> open = new LinkedHashMap<>();
        for (String taskId : tasks) {
            open.put(taskId, null);
        }
        long deadline = System.nanoTime() + TASK_BOUND.toNanos();
        while (true) {
            for (String taskId : List.copyOf(open.keySet())) {
                TaskState state = api.task(taskId);
                if (state.terminal()) {
                    open.remove(taskId);
                } else {
                    open.put(taskId, state);
                }
            }
            if (open.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(POLL_MS);
        }
        open.forEach((taskId, state) -> BenchRunner.log("stuck: task " + taskId + " " + state));
        return open.size();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.format(Locale.ROOT, "%s / %s / %s", fields[0], fields[1], fields[2]);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }
}
