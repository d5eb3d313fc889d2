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
 * Checks that each FIXED_TIME task of the benchmark fired exactly once, and how late: its record's start time minus
 * the instant the task was scheduled for.
 */
public final class FireCheck {
    private static final DateTimeFormatter CONTRACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private FireCheck() {
    }

    /** A task and the instant it was scheduled to fire. */
    public record Expected(String taskId, Instant fireAt) {
    }

    /** What the records showed: the lateness of each task that fired once, and what was wrong with the others. */
    public record Outcome(List<Double> latenessMs, List<String> failures) {
        public int firedOnce() {
            return latenessMs.size();
        }
    }

    /**
     * The instant the i-th of {@code count} fires spread evenly over {@code window} from {@code start} is scheduled
     * for, cut to the whole second since FIXED_TIME has second precision (so several tasks share each second).
     */
    public static Instant plannedFire(Instant start, Duration window, int count, int i) {
        return start.plusMillis(window.toMillis() * i / count).truncatedTo(ChronoUnit.SECONDS);
    }

    /** A record's contract start_time ({@code yyyy-MM-dd HH:mm:ss}) of a UTC task. */
    public static Instant parseUtc(String startTime) {
        return LocalDateTime.parse(startTime, CONTRACT).toInstant(ZoneOffset.UTC);
    }

    /** {@code startTimes} holds, per task id, the start time of every record the task has. */
    public static Outcome evaluate(List<Expected> expected, Map<String, List<Instant>> startTimes) {
        List<Double> lateness = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Expected task : expected) {
            List<Instant> records = startTimes.getOrDefault(task.taskId(), List.of());
            if (records.size() != 1) {
                failures.add("task " + task.taskId() + " scheduled for " + task.fireAt() + " has " + records.size()
                        + " records " + records + ", expected exactly 1");
                continue;
            }
            // Negative if the record says it ran early.
            lateness.add(Duration.between(task.fireAt(), records.get(0)).toNanos() / 1e6);
        }
        return new Outcome(List.copyOf(lateness), List.copyOf(failures));
    }
}
