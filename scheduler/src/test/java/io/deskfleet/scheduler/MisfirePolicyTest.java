package io.deskfleet.scheduler;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MisfirePolicyTest {
    private static final Schedule DAILY_NINE = Specs.day(1, "2026-01-01", "09:00:00").build();
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void onTimeFireRuns() {
        MisfireDecision decision = MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T09:00:00Z"), TEN_MINUTES);

        assertEquals(new MisfireDecision(MisfireAction.FIRE, at("2026-01-05T09:00:00Z"), Optional.of(at("2026-01-06T09:00:00Z"))), decision);
    }

    @Test
    void lateFireWithinGraceRuns() {
        MisfireDecision decision = MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T09:10:00Z"), TEN_MINUTES);

        assertEquals(MisfireAction.FIRE, decision.action());
        assertEquals(at("2026-01-05T09:00:00Z"), decision.scheduledFire());
        assertEquals(Optional.of(at("2026-01-06T09:00:00Z")), decision.nextFire());
    }

    @Test
    void fireMissedBeyondGraceIsSkipped() {
        MisfireDecision decision = MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T09:10:01Z"), TEN_MINUTES);

        assertEquals(new MisfireDecision(MisfireAction.SKIP, at("2026-01-05T09:00:00Z"), Optional.of(at("2026-01-06T09:00:00Z"))), decision);
    }

    @Test
    void afterAnOutageOnlyTheLatestFreshFireRunsAndOlderOnesAreDropped() {
        MisfireDecision decision = MisfirePolicy.decide(DAILY_NINE, at("2026-01-02T09:00:00Z"), at("2026-01-05T09:05:00Z"), TEN_MINUTES);

        assertEquals(new MisfireDecision(MisfireAction.FIRE, at("2026-01-05T09:00:00Z"), Optional.of(at("2026-01-06T09:00:00Z"))), decision);
    }

    @Test
    void afterAnOutageWithNoFreshFireOneSkipIsRecorded() {
        MisfireDecision decision = MisfirePolicy.decide(DAILY_NINE, at("2026-01-02T09:00:00Z"), at("2026-01-05T12:00:00Z"), TEN_MINUTES);

        assertEquals(new MisfireDecision(MisfireAction.SKIP, at("2026-01-02T09:00:00Z"), Optional.of(at("2026-01-06T09:00:00Z"))), decision);
    }

    @Test
    void zeroGraceRunsOnlyExactlyOnTime() {
        assertEquals(MisfireAction.FIRE, MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T09:00:00Z"), Duration.ZERO).action());
        assertEquals(MisfireAction.SKIP, MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T09:00:00.001Z"), Duration.ZERO).action());
    }

    @Test
    void missedFixedTimeIsSkippedAndHasNoNextFire() {
        Schedule once = Specs.fixed("2026-03-01", "08:00:00").build();

        MisfireDecision decision = MisfirePolicy.decide(once, at("2026-03-01T08:00:00Z"), at("2026-03-02T08:00:00Z"), TEN_MINUTES);

        assertEquals(new MisfireDecision(MisfireAction.SKIP, at("2026-03-01T08:00:00Z"), Optional.empty()), decision);
    }

    @Test
    void lastFireBeforeExpiryRunsAndLeavesNoNextFire() {
        Schedule schedule = Specs.day(1, "2026-01-01", "09:00:00").expire("2026-01-03 00:00:00").build();

        MisfireDecision decision = MisfirePolicy.decide(schedule, at("2026-01-02T09:00:00Z"), at("2026-01-02T09:01:00Z"), TEN_MINUTES);

        assertEquals(new MisfireDecision(MisfireAction.FIRE, at("2026-01-02T09:00:00Z"), Optional.empty()), decision);
    }

    @Test
    void aPollingLoopNeverRunsAFireTwiceAndRunsEveryFireItPollsInTime() {
        Schedule everyMorning = Specs.week("1,2,3,4,5,6,7", "09:00:00").build();
        Set<Instant> ran = new HashSet<>();
        int runs = 0;
        Instant next = everyMorning.nextFireAfter(at("2026-01-01T00:00:00Z")).orElseThrow();
        // Poll every 7 minutes for 30 days with 3 minutes of grace: some fires are polled in time, some are not.
        for (Instant now = at("2026-01-01T00:00:00Z"); now.isBefore(at("2026-01-31T00:00:00Z")); now = now.plus(Duration.ofMinutes(7))) {
            if (next.isAfter(now)) {
                continue;
            }
            MisfireDecision decision = MisfirePolicy.decide(everyMorning, next, now, Duration.ofMinutes(3));
            if (decision.action() == MisfireAction.FIRE) {
                runs++;
                assertTrue(ran.add(decision.scheduledFire()), "ran twice: " + decision.scheduledFire());
            }
            boolean polledInTime = !now.isAfter(next.plus(Duration.ofMinutes(3)));
            assertEquals(polledInTime, decision.action() == MisfireAction.FIRE, "poll at " + now);
            next = decision.nextFire().orElseThrow();
            assertTrue(next.isAfter(now));
        }
        assertTrue(runs > 0 && runs < 30, "runs: " + runs);
    }

    @Test
    void refusesAFireThatIsNotDueAndANegativeGrace() {
        assertThrows(IllegalArgumentException.class,
                () -> MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T08:59:59Z"), TEN_MINUTES));
        assertThrows(IllegalArgumentException.class,
                () -> MisfirePolicy.decide(DAILY_NINE, at("2026-01-05T09:00:00Z"), at("2026-01-05T09:00:00Z"), Duration.ofSeconds(-1)));
    }
}
