package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.ScheduleRecord;
import io.deskfleet.bench.MemoryProbe.Memory;
import io.deskfleet.bench.schedule.FireCheck;
import io.deskfleet.bench.schedule.FireCheck.Expected;
import io.deskfleet.bench.schedule.FireCheck.Outcome;
import io.deskfleet.bench.schedule.ScheduleMix;
import io.deskfleet.bench.schedule.StoredFires;
import io.deskfleet.scheduler.Schedule;
import io.deskfleet.scheduler.ScheduleParser;
import io.deskfleet.scheduler.ScheduleSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * `bench schedule`: the scheduler's next-fire computation rate in process, then fire-time lateness of the real
 * control plane while it holds many enabled scheduled tasks.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Measures next-fire computation and the lateness of scheduled fires under many enabled tasks.")
public final class ScheduleBench implements Callable<Integer> {
    /** Tasks that fire during the run; the others are DAY tasks that do not. */
    static final int FIRING_TASKS = 1_000;
    static final Duration FIRE_WINDOW = Duration.ofSeconds(20);
    /** Between the last task created and the first fire, so creation does not overlap the fires. */
    static final Duration FIRST_FIRE_DELAY = Duration.ofSeconds(60);
    static final int HTTP_CONCURRENCY = 8;
    static final int WARM_UP_PASSES = 3;
    static final int TIMED_PASSES = 5;
    /** Fires this much later than the window's end count as missing. */
    private static final Duration FIRE_PATIENCE = Duration.ofMinutes(5);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec
    CommandSpec spec;
    @Option(names = "--tasks", defaultValue = "100000",
            description = "enabled scheduled tasks, also the number of schedules of the next-fire pass "
                    + "(default 100000, at least " + FIRING_TASKS + ")")
    int tasks;
    @Option(names = "--control-plane-jar", defaultValue = "control-plane/target/control-plane.jar",
            description = "the control plane to measure (default: the one the build leaves)")
    Path controlPlaneJar;
    @Option(names = "--results", defaultValue = "bench/RESULTS.md", description = "file whose top the section goes to (default bench/RESULTS.md)")
    Path results;

    @Override
    public Integer call() throws Exception {
        if (tasks < FIRING_TASKS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tasks must be at least " + FIRING_TASKS + ", got " + tasks);
        }
        Report report = new Report();
        report.note(Report.machine());
        nextFireRate(report);
        fireLateness(report);
        String section = report.markdown(ZonedDateTime.now());
        System.out.println(section);
        Report.insertAtTop(results, section);
        BenchRunner.log("added at the top of " + results.toAbsolutePath());
        return 0;
    }

    /** Run first, before the control plane is started, so nothing else competes for the cores. */
    private void nextFireRate(Report report) {
        Instant now = Instant.now();
        List<Schedule> schedules = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            schedules.add(ScheduleParser.parseStored(ScheduleMix.spec(i), now));
        }
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            nextFirePass(schedules, now);
        }
        List<Double> passSeconds = new ArrayList<>();
        for (int pass = 0; pass < TIMED_PASSES; pass++) {
            long started = System.nanoTime();
            nextFirePass(schedules, now);
            passSeconds.add((System.nanoTime() - started) / 1e9);
        }
        double median = Stats.median(passSeconds);
        report.note("next fire: " + tasks + " schedules from ScheduleParser.parseStored (DAY/WEEK/MONTH in turn, "
                + "MONTH date lists with L, zones " + String.join(", ", ScheduleMix.ZONES) + "); "
                + "Schedule.nextFireAfter(now) over all of them, " + WARM_UP_PASSES + " warm-up passes, median of "
                + TIMED_PASSES + " timed passes, one thread");
        report.add("next-fire computations/s (" + tasks + " schedules, passes s: " + passSeconds.stream()
                .map(s -> String.format(Locale.ROOT, "%.3f", s)).toList() + ")",
                String.format(Locale.ROOT, "%.0f", tasks / median));
        report.add("ns per next-fire computation", String.format(Locale.ROOT, "%.0f", median * 1e9 / tasks));
    }

    /** Every schedule of the mix recurs, so a missing next fire is a scheduler bug, not a slow path to time. */
    private static void nextFirePass(List<Schedule> schedules, Instant now) {
        for (int i = 0; i < schedules.size(); i++) {
            if (schedules.get(i).nextFireAfter(now).isEmpty()) {
                throw new IllegalStateException("schedule " + i + " " + ScheduleMix.spec(i) + " has no next fire");
            }
        }
    }

    private void fireLateness(Report report) throws Exception {
        Path dir = Files.createTempDirectory("deskfleet-bench-");
        BenchRunner.log("working directory (control-plane log and database): " + dir);
        List<Expected> firing;
        Map<String, List<ScheduleRecord>> records;
        String databaseUrl;
        ExecutorService http = Executors.newFixedThreadPool(HTTP_CONCURRENCY);
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(controlPlaneJar, dir)) {
            databaseUrl = controlPlane.databaseUrl();
            ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), BenchRunner.PROJECT_ID);
            api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
            String poolId = api.createPool("bench-schedule-empty");
            Memory empty = MemoryProbe.measure(controlPlane.pid());
            long started = System.nanoTime();
            createQuietTasks(http, api, poolId, tasks - FIRING_TASKS);
            Instant windowStart = Instant.now().plus(FIRST_FIRE_DELAY).truncatedTo(ChronoUnit.SECONDS);
            firing = createFiringTasks(http, api, poolId, windowStart);
            double creationSeconds = (System.nanoTime() - started) / 1e9;
            BenchRunner.log(tasks + " tasks created in " + String.format(Locale.ROOT, "%.1f s", creationSeconds));
            report.note("control plane: its jar in a child JVM with -Xmx1g, H2 file database (WRITE_DELAY=0); "
                    + "REST from " + HTTP_CONCURRENCY + " concurrent requests");
            report.note("tasks: " + (tasks - FIRING_TASKS) + " enabled DAY tasks (UTC, day_interval 1-7, time of "
                    + "day 6-18 h from the start, so none fires during the run) and " + FIRING_TASKS
                    + " FIXED_TIME tasks (UTC) spread over " + FIRE_WINDOW.toSeconds() + " s starting "
                    + FIRST_FIRE_DELAY.toSeconds() + " s after creation, whole seconds (FIXED_TIME has second "
                    + "precision); all STOP on an empty DESKTOP_POOL, so a fire is recorded SKIP (no desktop)");
            report.note("lateness: record start time minus the scheduled instant, nearest-rank percentiles; "
                    + "stored: start_time of scheduled_task_records read from the H2 file after the control plane "
                    + "stopped (microseconds); API: start_time of GET .../records, second precision with the fraction "
                    + "cut off, so a measured n s is a true lateness in [n, n+1) s");
            report.add("scheduled tasks created (POST /v2/{project_id}/scheduled-tasks)", Integer.toString(tasks));
            report.add("creation rate, tasks/s", String.format(Locale.ROOT, "%.0f", tasks / creationSeconds));

            records = awaitFires(http, api, firing, windowStart);
            Memory loaded = MemoryProbe.measure(controlPlane.pid());
            report.note("memory: " + MemoryProbe.METHOD + "; taken after login and after the fires were checked");
            report.add("control-plane heap used after GC, 0 tasks", BenchRunner.mb(empty.heapUsedBytes()));
            report.add("control-plane RSS, 0 tasks", BenchRunner.mb(empty.rssBytes()));
            report.add("control-plane heap used after GC, " + tasks + " tasks", BenchRunner.mb(loaded.heapUsedBytes()));
            report.add("control-plane RSS, " + tasks + " tasks", BenchRunner.mb(loaded.rssBytes()));
        } finally {
            http.shutdownNow();
        }
        // Stopped, so its database file can be opened.
        Outcome stored = FireCheck.evaluate(firing, StoredFires.startTimes(databaseUrl));
        Outcome viaApi = FireCheck.evaluate(firing, apiStartTimes(records));
        Map<String, Integer> statuses = new TreeMap<>();
        records.values().forEach(list -> list.forEach(r -> statuses.merge(r.status(), 1, Integer::sum)));
        report.add("fired exactly once, API records (of " + FIRING_TASKS + "; statuses " + statuses + ")",
                Integer.toString(viaApi.firedOnce()));
        report.add("fired exactly once, stored records (of " + FIRING_TASKS + ")", Integer.toString(stored.firedOnce()));
        if (stored.firedOnce() > 0) {
            for (int p : new int[] {50, 99, 100}) {
                report.add("fire lateness " + (p == 100 ? "max" : "p" + p) + ", stored start_time",
                        String.format(Locale.ROOT, "%.1f ms", Stats.percentile(stored.latenessMs(), p)));
            }
        }
        if (viaApi.firedOnce() > 0) {
            for (int p : new int[] {50, 99, 100}) {
                double ms = Stats.percentile(viaApi.latenessMs(), p);
                report.add("fire lateness " + (p == 100 ? "max" : "p" + p) + ", API start_time",
                        String.format(Locale.ROOT, "%.0f s (true < %.0f s)", ms / 1000, ms / 1000 + 1));
            }
        }
        List<String> failures = new ArrayList<>(stored.failures());
        failures.addAll(viaApi.failures());
        if (!failures.isEmpty()) {
            System.out.println(report.markdown(ZonedDateTime.now()));
            throw new IllegalStateException(failures.size() + " checks of a task firing exactly once failed; first: "
                    + failures.get(0));
        }
    }

    /** DAY tasks whose time of day is 6 to 18 hours away, so they stay enabled and pending during the run. */
    private static void createQuietTasks(ExecutorService http, ControlPlaneApi api, String poolId, int count)
            throws Exception {
        Instant now = Instant.now();
        List<Future<String>> created = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LocalTime time = now.plus(Duration.ofHours(6).plusSeconds(i * 7L % (12 * 3600)))
                    .atZone(ZoneOffset.UTC).toLocalTime();
            ScheduleSpec day = new ScheduleSpec("DAY", 1 + i % 7, null, null, null, null, time.format(TIME), null,
                    null, "UTC");
            String name = "bench-day-" + i;
            created.add(http.submit(() -> api.createScheduledTask(name, "STOP", day, poolId)));
        }
        awaitAll(created, "DAY");
    }

    private static List<Expected> createFiringTasks(ExecutorService http, ControlPlaneApi api, String poolId,
                                                    Instant windowStart) throws Exception {
        List<Instant> fireAts = new ArrayList<>(FIRING_TASKS);
        List<Future<String>> created = new ArrayList<>(FIRING_TASKS);
        for (int i = 0; i < FIRING_TASKS; i++) {
            Instant fireAt = FireCheck.plannedFire(windowStart, FIRE_WINDOW, FIRING_TASKS, i);
            ScheduleSpec fixed = new ScheduleSpec("FIXED_TIME", null, null, null, null,
                    DATE.format(fireAt.atZone(ZoneOffset.UTC)), TIME.format(fireAt.atZone(ZoneOffset.UTC)), null,
                    null, "UTC");
            String name = "bench-fixed-" + i;
            fireAts.add(fireAt);
            created.add(http.submit(() -> api.createScheduledTask(name, "STOP", fixed, poolId)));
        }
        List<String> ids = awaitAll(created, "FIXED_TIME");
        List<Expected> expected = new ArrayList<>(FIRING_TASKS);
        for (int i = 0; i < FIRING_TASKS; i++) {
            expected.add(new Expected(ids.get(i), fireAts.get(i)));
        }
        return expected;
    }

    private static List<String> awaitAll(List<Future<String>> created, String kind) throws Exception {
        List<String> ids = new ArrayList<>(created.size());
        for (Future<String> future : created) {
            ids.add(result(future));
            if (ids.size() % 10_000 == 0) {
                BenchRunner.log(ids.size() + " " + kind + " tasks created");
            }
        }
        return ids;
    }

    /**
     * Reads the records of every firing task until each has at least one, then once more after a pause, so that a
     * second fire of the same task would show.
     */
    private static Map<String, List<ScheduleRecord>> awaitFires(ExecutorService http, ControlPlaneApi api,
                                                                List<Expected> firing, Instant windowStart)
            throws Exception {
        Instant windowEnd = windowStart.plus(FIRE_WINDOW);
        Instant deadline = windowEnd.plus(FIRE_PATIENCE);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), windowEnd.plusSeconds(2)).toMillis()));
        List<String> pending = firing.stream().map(Expected::taskId).toList();
        while (!pending.isEmpty()) {
            Map<String, List<ScheduleRecord>> read = readRecords(http, api, pending);
            pending = pending.stream().filter(id -> read.get(id).isEmpty()).toList();
            BenchRunner.log((FIRING_TASKS - pending.size()) + " of " + FIRING_TASKS + " firing tasks have a record");
            if (!pending.isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(2000);
            }
        }
        Thread.sleep(5000);
        return readRecords(http, api, firing.stream().map(Expected::taskId).toList());
    }

    private static Map<String, List<ScheduleRecord>> readRecords(ExecutorService http, ControlPlaneApi api,
                                                                 List<String> taskIds) throws Exception {
        Map<String, Future<List<ScheduleRecord>>> reads = new HashMap<>();
        for (String id : taskIds) {
            reads.put(id, http.submit(() -> api.scheduleRecords(id)));
        }
        Map<String, List<ScheduleRecord>> records = new HashMap<>();
        for (Map.Entry<String, Future<List<ScheduleRecord>>> read : reads.entrySet()) {
            records.put(read.getKey(), result(read.getValue()));
        }
        return records;
    }

    /** A request's answer; a refused request fails the run with its own message, as in the sequential calls. */
    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Map<String, List<Instant>> apiStartTimes(Map<String, List<ScheduleRecord>> records) {
        Map<String, List<Instant>> startTimes = new HashMap<>();
        records.forEach((id, list) -> startTimes.put(id,
                list.stream().map(r -> FireCheck.parseUtc(r.startTime())).toList()));
        return startTimes;
    }
}
