package io.deskfleet.controlplane.agentlink;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueAdmissionTest {
    private final QueueAdmission admission = new QueueAdmission(Duration.ofSeconds(5),
            Duration.ofSeconds(1));

    @Test
    void admitsWhatCanBeStoredWithinTheLongestWaitAndHalfTheCallersDeadline() {
        admission.served(1000, Duration.ofSeconds(1).toNanos()); // moves 1/5 of the way to 1 ms
        for (int i = 0; i < 50; i++) {
            admission.served(1000, Duration.ofSeconds(1).toNanos());
        }
        assertEquals(Duration.ofMillis(1).toNanos(), admission.nanosPerItem(), 1_000);
        assertTrue(admission.admits(4_900, Long.MAX_VALUE));
        assertFalse(admission.admits(5_100, Long.MAX_VALUE), "beyond 5 s of work");
        assertTrue(admission.admits(900, Duration.ofSeconds(2).toNanos()));
        assertFalse(admission.admits(1_100, Duration.ofSeconds(2).toNanos()), "beyond half a 2 s deadline");
    }

    @Test
    void theHintIsTheQueuesTimeWithinTheFloorAndTheAgentsCap() {
        for (int i = 0; i < 50; i++) {
            admission.served(100, Duration.ofMillis(100).toNanos());
        }
        assertEquals(Duration.ofSeconds(1), admission.retryAfter(10), "the floor");
        assertEquals(4, admission.retryAfter(4_000).toSeconds());
        assertEquals(QueueAdmission.MAX_RETRY_AFTER, admission.retryAfter(1_000_000));
    }

    @Test
    void aSlowDiskShrinksWhatIsAdmitted() {
        assertTrue(admission.admits(2_000, Long.MAX_VALUE), "2 ms each before any batch: 4 s");
        for (int i = 0; i < 50; i++) {
            admission.served(10, Duration.ofMillis(200).toNanos());
        }
        assertFalse(admission.admits(300, Long.MAX_VALUE), "20 ms each: 6 s");
    }
}
