package io.deskfleet.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What to do when a persisted next fire has come due, possibly late (the control plane was down or busy).
 *
 * <p>The rule: the task runs at most once per decision. It runs if some fire of the schedule lies in
 * {@code [max(due, now - grace), now]}, i.e. the latest missed fires are still fresh; every older missed fire is
 * dropped. Either way the next fire becomes the first fire strictly after {@code now}, so a fire at or before
 * {@code now} can never be run by a later decision: no fire is ever doubled, and a long outage produces one run
 * (or one skip), not a burst of catch-up runs.
 */
public final class MisfirePolicy {
    private MisfirePolicy() {
    }

    /**
     * @param schedule the task's schedule
     * @param dueFire  the persisted next fire, at or before {@code now}
     * @param now      the current time
     * @param grace    how late a fire may still run; zero means only exactly on time
     */
    public static MisfireDecision decide(Schedule schedule, Instant dueFire, Instant now, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (dueFire.isAfter(now)) {
            throw new IllegalArgumentException("fire " + dueFire + " is not due at " + now);
        }
        Instant windowStart = now.minus(grace);
        if (windowStart.isBefore(dueFire)) {
            windowStart = dueFire;
        }
        Optional<Instant> freshFire = schedule.nextFireAfter(windowStart.minusNanos(1)).filter(fire -> !fire.isAfter(now));
        Optional<Instant> next = schedule.nextFireAfter(now);
        return freshFire
                .map(fire -> new MisfireDecision(MisfireAction.FIRE, fire, next))
                .orElseGet(() -> new MisfireDecision(MisfireAction.SKIP, dueFire, next));
    }
}
