package io.deskfleet.bench.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that each FIXED_TIME task of the benchmark fired exactly once, and how late: the record's
 * {@code start_time} (contract format {@code yyyy-MM-dd HH:mm:ss}, UTC, the fraction cut off) minus the instant the
 * task was scheduled for. The benchmark schedules whole seconds, so a measured lateness of n s means a true lateness
 * in [n, n + 1) s.
 */
public final class FireCheck {
    private static final DateTimeFormatter CONTRACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private FireCheck() {
    }

    /** A task and the instant it was scheduled to fire. */
    public record Expected(String taskId, Instant fireAt) {
    }

    /** What the records showed: the lateness of each task that fired once, and what was wrong with the others. */
    public record Outcome(List<Double> latenessSeconds, List<String> failures) {
        public int firedOnce() {
            return latenessSeconds.size();
        }
    }

    /**
     * The instant the i-th of {@code count} fires spread evenly over {@code window} from {@code start} is scheduled
     * for, cut to the whole second since FIXED_TIME has second precision (so several tasks share each second).
     */
    public static Instant plannedFire(Instant start, Duration window, int count, int i) {
        return start.plusMillis(window.toMillis() * i / count).truncatedTo(ChronoUnit.SECONDS);
    }

    /** {@code startTimes} holds, per task id, the start_time of every record the task has. */
    public static Outcome evaluate(List<Expected> expected, Map<String, List<String>> startTimes) {
        List<Double> lateness = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Expected task : expected) {
            List<String> records = startTimes.getOrDefault(task.taskId(), List.of());
            if (records.size() != 1) {
                failures.add("task " + task.taskId() + " scheduled for " + task.fireAt() + " has " + records.size()
                        + " records " + records + ", expected exactly 1");
                continue;
            }
            lateness.add(latenessSeconds(task.fireAt(), records.get(0)));
        }
        return new Outcome(List.copyOf(lateness), List.copyOf(failures));
    }

    /** Seconds from the scheduled instant to a record's UTC start_time; negative if the record says it ran early. */
    static double latenessSeconds(Instant fireAt, String startTimeUtc) {
        Instant started = LocalDateTime.parse(startTimeUtc, CONTRACT).toInstant(ZoneOffset.UTC);
        return (started.toEpochMilli() - fireAt.toEpochMilli()) / 1000.0;
    }
}
