package io.deskfleet.link;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelayUpToTheCapWithinTheUpperHalfOfEachStep() {
        Backoff highest = new Backoff(200, 5_000, () -> 0.999_999);
        Backoff lowest = new Backoff(200, 5_000, () -> 0.0);
        long[] ceilings = {200, 400, 800, 1_600, 3_200, 5_000, 5_000};
        for (long ceiling : ceilings) {
            assertEquals(ceiling - 1, highest.nextDelayMillis());
            assertEquals(ceiling / 2, lowest.nextDelayMillis());
        }
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        Backoff backoff = new Backoff(200, 5_000, () -> 0.0);
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        assertEquals(100, backoff.nextDelayMillis());
    }

    @Test
    void aServerHintIsAFloorSpreadOverHalfAgainAndCountsOnlyUpToTheCap() {
        assertEquals(100, new Backoff(200, 5_000, () -> 0.0).nextDelayMillis(OptionalLong.empty()));
        assertEquals(1_000, new Backoff(200, 5_000, () -> 0.0).nextDelayMillis(OptionalLong.of(1_000)));
        assertEquals(1_499, new Backoff(200, 5_000, () -> 0.999).nextDelayMillis(OptionalLong.of(1_000)));
        assertEquals(5_000, new Backoff(200, 5_000, () -> 0.0).nextDelayMillis(OptionalLong.of(3_600_000)));
    }
}
