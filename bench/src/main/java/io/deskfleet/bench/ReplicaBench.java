package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.TaskState;
import io.deskfleet.bench.swarm.CommandArrival;
import io.deskfleet.bench.swarm.SwarmTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * `bench replicas`: the same fleet and the same fan-out on 1 control-plane replica and then on 3 sharing one
 * PostgreSQL (issue 23), side by side in one run, and then a kill -9 of the replica that owns a running task:
 * how long until its desktops are back on the others, and until the task ends with every desktop run exactly once.
 *
 * <p>A command of its own rather than rows of `bench run`: that one measures an H2 control plane (dispatch latency,
 * real agents, Ansible, TLS, memory), none of which this needs, and its rows are compared run after run; this one
 * owns a PostgreSQL server and several control planes, and kills one.
 */
@Command(name = "replicas", mixinStandardHelpOptions = true,
        description = "Fan-out on 1 and on 3 control-plane replicas sharing a PostgreSQL it starts, then kill -9 of "
                + "the replica owning a running task.")
public final class ReplicaBench implements Callable<Integer> {
    static final int REPLICAS = 3;
    /**
     * The share of a swarm part's descriptors its desktops take. Desktops failing over open a new connection while
     * the old one closes, and a herd under load opens more: at 18,000 desktops in one process under a hard limit of
     * 20,000 the runner ran out during the 3 replicas' registration (2026-12-06: 19,971 sockets open, 16,395
     * established, the rest stuck retrying Register), so a part leaves a fifth free.
     */
    static final double DESCRIPTOR_SHARE = 0.8;
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final long POLL_MS = 50;
    private static final Duration ONLINE_PATIENCE = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;
    @Option(names = "--agents", split = ",", defaultValue = "15000,30000",
            description = "fleet sizes, each measured on 1 replica (where one control plane's descriptors hold it) and "
                    + "on 3; each desktop on its own connection; the kill comes after the last size (default "
                    + "15000,30000)")
    List<Integer> sizes;
    @Option(names = "--runs", defaultValue = "3", description = "measured fan-outs per replica count; the median is reported")
    int runs;
    @Option(names = "--warm-up-runs", defaultValue = "5",
            description = "unmeasured fan-outs before them, the first reported on its own (default 5)")
    int warmUpRuns;
    @Option(names = "--fsync", defaultValue = "on", description = "PostgreSQL's fsync, on (production, the default) or off")
    String fsync;
    @Option(names = "--kill-command-seconds", defaultValue = "5",
            description = "how long the task running during the kill takes on each desktop (default 5 s): the kill "
                    + "comes once every desktop has its command, most of them still running it")
    int killCommandSeconds;
    @Option(names = "--postgres-bin", defaultValue = "/usr/lib/postgresql/15/bin",
            description = "PostgreSQL server binaries (initdb, pg_ctl, psql)")
    Path postgresBinaries;
    @Option(names = "--control-plane-jar", defaultValue = "control-plane/target/control-plane.jar",
            description = "the control plane to measure (default: the one the build leaves)")
    Path controlPlaneJar;
    @Option(names = "--control-plane-jvm-option", paramLabel = "OPTION",
            description = "an extra option for every replica's JVM (repeatable; -Xmx1g unless one sets -Xmx)")
    List<String> controlPlaneJvmOptions = new ArrayList<>();
    @Option(names = "--profile", paramLabel = "FILE.jfr",
            description = "record cp1 of the 3 replicas (the one posted to, then killed) with Java Flight Recorder, "
                    + "profile settings, dumped into this file just before the kill; PostgreSQL's top statements over "
                    + "the measured fan-outs (pg_stat_statements) go to FILE.jfr.postgres.txt")
    Path profile;
    @Option(names = "--results", defaultValue = "bench/RESULTS.md",
            description = "file whose top the section goes to (default bench/RESULTS.md)")
    Path results;

    private final Map<String, Set<String>> tracked = new ConcurrentHashMap<>();
    private final AtomicLong lastArrival = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        DescriptorLimit limit = DescriptorLimit.of(ProcessHandle.current().pid());
        validate(limit);
        int perPart = (int) Math.min(BenchRunner.MAX_PER_ACTIVATION, (long) (limit.maxConnections() * DESCRIPTOR_SHARE));
        boolean fsyncOn = fsync.equals("on");
        List<String> jvmOptions = new ArrayList<>(controlPlaneJvmOptions);
        jvmOptions.add("-XX:+PrintCommandLineFlags");
        Report report = new Report();
        report.note(Report.machine() + "; commit " + commit());
        report.note("fleets: " + sizes + " simulated desktops, each on its own gRPC connection (TCP), desktop i on "
                + "replica i % replicas, split over child JVMs of the runner (`bench swarm-part`, at most " + perPart
                + " desktops and one activation each) that register together: every process holds one descriptor "
                + "per connection, and the " + limit + " of each (runner, parts and replicas alike) cannot be raised "
                + "here (no CAP_SYS_RESOURCE); a part keeps a fifth of its descriptors free for failover");
        report.note("failover: each simulated agent has every replica's address; a failed stream reconnects to the "
                + "next address after the real agent's stream backoff (0.2 s doubling to 5 s, each delay 50-100 % of it, "
                + "the control plane's retry hint honoured), and an attempt without Welcome within 10 s counts as "
                + "failed, as the real agent's; the order of the "
                + "others alternates between neighbouring desktops, so a dead replica's desktops split over the rest");
        report.note("fan-out: POST script-executions to cp1 (`" + BenchRunner.COMMAND + "`, gray_count "
                + BenchRunner.GRAY_COUNT + ") until the task is terminal SUCCESS with every desktop counted, polled "
                + "every 20 ms on cp1: from the POST to the last result stored; median of " + runs + " runs after "
                + warmUpRuns + " unmeasured (the first reported on its own)");
        Path dir = Files.createTempDirectory("deskfleet-replicas-");
        BenchRunner.log("working directory (replica and swarm part logs): " + dir + "; sizes " + sizes + "; " + limit);
        boolean described = false;
        for (int i = 0; i < sizes.size(); i++) {
            int n = sizes.get(i);
            boolean last = i == sizes.size() - 1;
            String refusal = limit.refusal("the one control plane", n);
            if (refusal != null) {
                report.add("1 replica: " + n + " desktops", refusal);
            } else {
                try (PostgresProcess database = PostgresProcess.start(postgresBinaries, fsyncOn, false);
                     ReplicaSet one = ReplicaSet.start(controlPlaneJar, dir.resolve(n + "-one"), 1, database,
                             jvmOptions, List.of())) {
                    described = described || describe(report, database, jvmOptions, one);
                    measure(one, database, n, perPart, dir.resolve(n + "-one"), report, "1 replica", false);
                }
            }
            List<String> recording = profile == null || !last ? List.of() : List.of(
                    "-XX:StartFlightRecording=settings=profile,name=bench");
            try (PostgresProcess database = PostgresProcess.start(postgresBinaries, fsyncOn, !recording.isEmpty());
                 ReplicaSet three = ReplicaSet.start(controlPlaneJar, dir.resolve(n + "-three"), REPLICAS, database,
                         jvmOptions, recording)) {
                described = described || describe(report, database, jvmOptions, three);
                measure(three, database, n, perPart, dir.resolve(n + "-three"), report, REPLICAS + " replicas", last);
            }
        }
        String section = report.markdown(ZonedDateTime.now());
        System.out.println(section);
        Report.insertAtTop(results, section);
        BenchRunner.log("added at the top of " + results.toAbsolutePath());
        return 0;
    }

    /** The database's settings and the replicas' JVM options, noted once, from the first replica set started. */
    private static boolean describe(Report report, PostgresProcess database, List<String> jvmOptions,
                                    ReplicaSet replicas) throws Exception {
        String settings = database.settings();
        BenchRunner.log("PostgreSQL: " + settings);
        report.note("PostgreSQL: a fresh cluster per fleet and replica count, from the machine's binaries (initdb, "
                + "local TCP, trust auth), defaults but fsync; the server's values: " + settings);
        report.note("control-plane JVM options: " + String.join(" ", optionsAsStarted(jvmOptions))
                + "; as the JVM reported them: " + ReplicaSet.printedFlags(replicas.get(0)));
        return true;
    }

    private void validate(DescriptorLimit limit) {
        for (int n : sizes) {
            if (n < REPLICAS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--agents: each size must be at least "
                        + REPLICAS + ", got " + n);
            }
            // After the kill the two survivors hold every desktop between them.
            String refusal = limit.refusal("each of the " + (REPLICAS - 1) + " replicas left after a kill",
                    (n + REPLICAS - 2) / (REPLICAS - 1));
            if (refusal != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--agents " + n + ": " + refusal);
            }
        }
        if (!fsync.equals("on") && !fsync.equals("off")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fsync must be on or off, got " + fsync);
        }
        if (runs < 1 || warmUpRuns < 0 || killCommandSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--runs and --kill-command-seconds must be at least 1, --warm-up-runs at least 0");
        }
    }

    /** The options as {@link ControlPlaneProcess} passes them: -Xmx1g first unless one of them sets the heap. */
    private static List<String> optionsAsStarted(List<String> jvmOptions) {
        List<String> options = new ArrayList<>();
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            options.add("-Xmx1g");
        }
        options.addAll(jvmOptions);
        return options;
    }

    /** Registration and fan-outs on these replicas; with kill, then the kill -9 of the task's owner. */
    private void measure(ReplicaSet replicas, PostgresProcess database, int n, int perPart, Path partLogs,
                         Report report, String label, boolean kill) throws Exception {
        ControlPlaneApi api = login(replicas.get(0));
        String poolId = api.createPool("replicas-" + replicas.size() + "-" + n);
        Consumer<CommandArrival> arrivals = arrival -> {
            tracked.computeIfAbsent(arrival.desktopId(), id -> ConcurrentHashMap.newKeySet()).add(arrival.invocationId());
            lastArrival.accumulateAndGet(arrival.arrivedNanos(), Math::max);
        };
        try (ForkedFleet fleet = ForkedFleet.launch(api, poolId, n, perPart, replicas.grpcTargets(), partLogs,
                arrivals)) {
            BenchRunner.log(label + ": " + n + " desktops in " + fleet.parts() + " swarm parts, "
                    + SwarmTransport.plaintext(replicas.grpcTargets(), n).detail());
            long started = System.nanoTime();
            fleet.register(PATIENCE);
            fleet.awaitConnected(PATIENCE);
            report.add(label + ": " + n + " desktops (" + fleet.parts() + " swarm parts) registering at once, until "
                    + "each holds a welcomed stream (swarm), s", seconds(started));
            int online = awaitOnline(api, poolId, n);
            report.add(label + ": then desktops agent_online in the API (waited up to " + ONLINE_PATIENCE.toSeconds()
                    + " s for all)", online + " of " + n + (online == n ? "" : "; holding a session in agent_sessions "
                    + "but agent_online false: " + database.query("SELECT count(*) FROM agent_sessions s JOIN desktops d"
                    + " ON d.id = s.desktop_id WHERE NOT d.agent_online")));
            report.add(label + ": desktops per replica, swarm's view / agent_sessions", Arrays.toString(
                    fleet.welcomedByAddress(replicas.size())) + " / " + sessions(database));
            fanOuts(replicas, database, fleet, api, poolId, n, report, label);
            if (kill) {
                killOwner(replicas, database, api, fleet, poolId, n, report);
            }
        }
    }

    private void fanOuts(ReplicaSet replicas, PostgresProcess database, ForkedFleet fleet, ControlPlaneApi api,
                         String poolId, int n, Report report, String label) throws Exception {
        String prefix = label + ", fan-out to " + n + ": ";
        double first = BenchRunner.timedExecution(api, poolId, BenchRunner.COMMAND, BenchRunner.GRAY_COUNT, n);
        BenchRunner.log(prefix + "first run after start " + format(first) + " s");
        for (int warmUp = 2; warmUp <= warmUpRuns; warmUp++) {
            BenchRunner.log(prefix + "warm-up run " + warmUp + ": " + format(BenchRunner.timedExecution(api, poolId,
                    BenchRunner.COMMAND, BenchRunner.GRAY_COUNT, n)) + " s");
        }
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> compilerCpu = new ArrayList<>();
        List<Double> databaseCpu = new ArrayList<>();
        List<Double> swarmCpu = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        if (database.tracksStatements()) {
            database.resetStatementStats();
        }
        for (int run = 1; run <= runs; run++) {
            double cpuBefore = replicas.cpuSeconds();
            double compilerBefore = replicas.compilerCpuSeconds();
            double databaseBefore = database.cpuSeconds();
            double swarmBefore = fleet.cpuSeconds();
            double elapsed = BenchRunner.timedExecution(api, poolId, BenchRunner.COMMAND, BenchRunner.GRAY_COUNT, n);
            cpu.add(replicas.cpuSeconds() - cpuBefore);
            compilerCpu.add(replicas.compilerCpuSeconds() - compilerBefore);
            databaseCpu.add(database.cpuSeconds() - databaseBefore);
            swarmCpu.add(fleet.cpuSeconds() - swarmBefore);
            seconds.add(elapsed);
            loads.add(Report.loadAverage());
            BenchRunner.log(prefix + "run " + run + ": " + format(elapsed) + " s, load " + Report.loadAverage());
        }
        if (database.tracksStatements()) {
            Path statements = Path.of(profile.toAbsolutePath() + ".postgres.txt");
            Files.writeString(statements, database.topStatements(25) + "\n");
            BenchRunner.log("PostgreSQL's statements over the " + runs + " measured fan-outs (pg_stat_statements) in "
                    + statements);
        }
        double median = Stats.median(seconds);
        report.add(prefix + "POST to last result stored, median s (runs: " + formatAll(seconds) + ", load at each: "
                + loads + ")", format(median));
        report.add(prefix + "results/s", String.format(Locale.ROOT, "%.0f", n / median));
        report.add(prefix + "first run after start (not in the median), s", format(first));
        report.add(prefix + "CPU s per fan-out, median: all replicas / PostgreSQL / the simulated desktops (runs: "
                + formatAll(cpu) + " / " + formatAll(databaseCpu) + " / " + formatAll(swarmCpu) + ")",
                format(Stats.median(cpu)) + " / " + format(Stats.median(databaseCpu)) + " / "
                        + format(Stats.median(swarmCpu)));
        report.add(prefix + "of the replicas' CPU, their JIT compiler threads', median s (runs: " + formatAll(compilerCpu)
                + "): a control plane still compiling its hot paths after the warm-up runs", format(Stats.median(compilerCpu)));
    }

    /**
     * Starts a task whose commands last {@link #killCommandSeconds}, waits until every desktop has its command, kills
     * the task's owner with SIGKILL and measures the takeover, then checks what the task stored.
     */
    private void killOwner(ReplicaSet replicas, PostgresProcess database, ControlPlaneApi api, ForkedFleet fleet,
                           String poolId, int n, Report report) throws Exception {
        if (profile != null) {
            dumpRecording(replicas.get(0));
        }
        fleet.commandLatency(Duration.ofSeconds(killCommandSeconds));
        tracked.clear();
        fleet.track(true);
        long postedAt = System.nanoTime();
        String taskId = api.startExecution(poolId, BenchRunner.COMMAND, BenchRunner.GRAY_COUNT,
                BenchRunner.GRAY_FAIL_THRESHOLD);
        awaitUntil("every desktop running task " + taskId, () -> tracked.size() >= n);
        long lastCommandEnds = lastArrival.get() + Duration.ofSeconds(killCommandSeconds).toNanos();
        String dispatched = seconds(postedAt);
        String owner = database.query("SELECT owner FROM task_leases WHERE task_id = '" + taskId + "'");
        int victim = -1;
        for (int i = 0; i < replicas.size(); i++) {
            if (ReplicaSet.id(i).equals(owner)) {
                victim = i;
            }
        }
        if (victim < 0) {
            throw new IllegalStateException("task " + taskId + " has no lease owner among the replicas: '" + owner
                    + "'");
        }
        String victimId = ReplicaSet.id(victim);
        int held = fleet.welcomedByAddress(replicas.size())[victim];
        String killLoad = Report.loadAverage();
        BenchRunner.log("task " + taskId + " running on all " + n + " desktops after " + dispatched + " s, owned by "
                + owner + " holding " + held + " desktops: kill -9 " + victimId + " (load " + killLoad + ")");
        List<ControlPlaneApi> survivors = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            if (i != victim) {
                survivors.add(new ControlPlaneApi(replicas.get(i).baseUrl(), BenchRunner.PROJECT_ID));
            }
        }
        Map<String, Double> endedBefore = streamsEnded(survivors);
        double shedBefore = hellosShed(survivors);
        ForkedFleet.Heartbeats beatsBefore = fleet.heartbeats();
        long killedAt = System.nanoTime();
        replicas.get(victim).kill();
        String ended = null;
        // One loop for the four moments, each taken when first seen, whatever order they come in.
        ControlPlaneApi survivor = login(replicas.get((victim + 1) % replicas.size()));
        String movedSwarm = null;
        String movedNinety = null;
        String movedSessions = null;
        String leaseMoved = null;
        String survivorSessions = null;
        TaskState state = null;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (movedSwarm == null || movedSessions == null || leaseMoved == null || state == null) {
            if (System.nanoTime() > deadline) {
                // What did not happen in time is a figure too: the rows say so, and the run's other rows survive.
                String late = "not within " + PATIENCE.toSeconds() + " s";
                int[] counts = fleet.welcomedByAddress(replicas.size());
                movedSwarm = movedSwarm != null ? movedSwarm : late + " (welcomed per replica then: "
                        + Arrays.toString(counts) + ")";
                movedNinety = movedNinety != null ? movedNinety : late;
                if (movedSessions == null) {
                    movedSessions = late;
                    survivorSessions = sessions(database);
                }
                leaseMoved = leaseMoved != null ? leaseMoved : late;
                if (state == null) {
                    state = survivor.task(taskId);
                    ended = late;
                }
                break;
            }
            int[] counts = fleet.welcomedByAddress(replicas.size());
            int welcomedElsewhere = Arrays.stream(counts).sum() - counts[victim];
            if (movedNinety == null && welcomedElsewhere >= n - held / 10) {
                movedNinety = seconds(killedAt);
            }
            if (movedSwarm == null && counts[victim] == 0 && Arrays.stream(counts).sum() == n) {
                movedSwarm = seconds(killedAt);
            }
            if (movedSessions == null && database.query("SELECT count(*) FROM agent_sessions WHERE replica_id = '"
                    + victimId + "'").equals("0")) {
                movedSessions = seconds(killedAt);
                survivorSessions = sessions(database);
            }
            if (leaseMoved == null) {
                String now = database.query("SELECT coalesce(max(owner), 'no lease left') FROM task_leases"
                        + " WHERE task_id = '" + taskId + "'");
                leaseMoved = now.equals(victimId) ? null : seconds(killedAt) + " (" + now + ")";
            }
            if (state == null && survivor.newestPoolTask(poolId, taskId).terminal()) {
                state = survivor.task(taskId);
                ended = seconds(killedAt);
            }
            Thread.sleep(POLL_MS);
        }
        fleet.track(false);
        Map<String, Double> endedAfter = streamsEnded(survivors);
        endedBefore.forEach((why, count) -> endedAfter.merge(why, -count, Double::sum));
        long shed = Math.round(hellosShed(survivors) - shedBefore);
        ForkedFleet.Heartbeats beats = fleet.heartbeats().since(beatsBefore);
        String records = database.query("SELECT count(*) || ' records, ' || count(DISTINCT desktop_id) || ' desktops'"
                + " FROM execution_records WHERE task_id = '" + taskId + "'");
        List<ControlPlaneApi.ExecutionRecord> listed = survivor.executionRecords(taskId);
        long succeeded = listed.stream().filter(r -> r.status().equals("SUCCESS")).count();
        long twice = tracked.values().stream().filter(ids -> ids.size() > 1).count();
        report.note("kill: the desktops' commands then took " + killCommandSeconds + " s; a task was POSTed to "
                + "cp1; " + dispatched + " s later every desktop had its command (the last one's ending "
                + format((lastCommandEnds - killedAt) / 1e9) + " s after the kill) and " + victimId + ", owning the task's "
                + "lease and holding " + held + " desktops, got SIGKILL (load " + killLoad + ")");
        String prefix = "kill -9 of " + victimId + ": ";
        report.add(prefix + "until 90 % / all of its desktops are welcomed on the others (swarm), s", movedNinety
                + " / " + movedSwarm);
        report.add(prefix + "until agent_sessions names none on " + victimId + " (database), s; then per replica",
                movedSessions + "; " + survivorSessions);
        report.add(prefix + "until task_leases names another owner (database), s", leaseMoved);
        report.add(prefix + "until the task is terminal (polled on " + ReplicaSet.id((victim + 1) % replicas.size())
                + "), s", ended);
        report.add(prefix + "streams the survivors ended since, by why (deskfleet_agent_streams_ended_total); Hellos"
                + " they shed (deskfleet_agent_hellos_shed_total)", endedAfter.entrySet().stream()
                .filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + Math.round(e.getValue())).toList()
                + "; " + shed);
        report.add(prefix + "heartbeats the simulated desktops sent more than 15 s after their previous one since;"
                + " longest gap of the run, s; their JVMs' GC since, s", beats.late() + "; "
                + format(beats.longestGap().toMillis() / 1e3) + "; " + format(beats.gc().toMillis() / 1e3));
        report.add(prefix + "the task: status, success/failed/skip", state.status() + ", " + state.successNum() + "/"
                + state.failedNum() + "/" + state.skipNum());
        report.add(prefix + "its records: in execution_records / listed by the API, of them SUCCESS", records + " / "
                + listed.size() + ", " + succeeded + " SUCCESS");
        report.add(prefix + "desktops that got it: once / more than once (distinct invocations, swarm)",
                (tracked.size() - twice) + " / " + twice + (tracked.size() == n ? "" : " (of " + n + "!)"));
        boolean right = state.status().equals("SUCCESS") && state.successNum() == n && twice == 0
                && tracked.size() == n && records.equals(n + " records, " + n + " desktops") && listed.size() == n
                && succeeded == n;
        report.add(prefix + "every desktop run exactly once, one SUCCESS record each", right ? "yes" : "NO");
    }

    private void dumpRecording(ControlPlaneProcess replica) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(replica.pid()), "JFR.dump", "name=bench",
                "filename=" + profile.toAbsolutePath()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd JFR.dump failed: " + output);
        }
        BenchRunner.log("flight recording of cp1 (registration and fan-outs) in " + profile.toAbsolutePath());
    }

    /** The survivors' deskfleet_agent_streams_ended_total, summed by why. */
    private static Map<String, Double> streamsEnded(List<ControlPlaneApi> survivors) throws Exception {
        Map<String, Double> sum = new TreeMap<>();
        for (ControlPlaneApi survivor : survivors) {
            survivor.prometheus("deskfleet_agent_streams_ended_total", "why")
                    .forEach((why, count) -> sum.merge(why, count, Double::sum));
        }
        return sum;
    }

    /** The survivors' deskfleet_agent_hellos_shed_total, summed. */
    private static double hellosShed(List<ControlPlaneApi> survivors) throws Exception {
        double sum = 0;
        for (ControlPlaneApi survivor : survivors) {
            sum += survivor.prometheus("deskfleet_agent_hellos_shed_total", "replica").values().stream()
                    .mapToDouble(Double::doubleValue).sum();
        }
        return sum;
    }

    private static ControlPlaneApi login(ControlPlaneProcess replica) throws Exception {
        ControlPlaneApi api = new ControlPlaneApi(replica.baseUrl(), BenchRunner.PROJECT_ID);
        api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
        return api;
    }

    private static String sessions(PostgresProcess database) {
        return "{" + String.join(", ", database.query(
                "SELECT replica_id || '=' || count(*) FROM agent_sessions GROUP BY replica_id ORDER BY replica_id")
                .lines().toList()) + "}";
    }

    /**
     * Waits up to {@link #ONLINE_PATIENCE} for the API to report every desktop online, and returns how many it does:
     * the swarm already holds every stream, so a shortfall is the API's (a stale agent_online), not the fleet's.
     */
    private static int awaitOnline(ControlPlaneApi api, String poolId, int n) throws Exception {
        long deadline = System.nanoTime() + ONLINE_PATIENCE.toNanos();
        int online = api.onlineCount(poolId);
        while (online < n && System.nanoTime() < deadline) {
            Thread.sleep(500);
            online = api.onlineCount(poolId);
        }
        return online;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no " + what + " after " + PATIENCE);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 ? out : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    private static String seconds(long sinceNanos) {
        return format((System.nanoTime() - sinceNanos) / 1e9);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String formatAll(List<Double> values) {
        return values.stream().map(ReplicaBench::format).toList().toString();
    }
}
