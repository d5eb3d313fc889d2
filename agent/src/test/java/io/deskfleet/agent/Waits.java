package io.deskfleet.agent;

import java.time.Duration;
import java.util.function.Supplier;

final class Waits {
    private Waits() {
    }

    /** Polls until the supplier returns non-null. */
    static <T> T until(Supplier<T> probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
