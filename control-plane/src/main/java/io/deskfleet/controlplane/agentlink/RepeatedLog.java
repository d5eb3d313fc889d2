package io.deskfleet.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps one misbehaving client from filling the log: the first occurrence of a failure is logged, repeats within
 * the interval are only counted, and the next occurrence after it is logged with that count. At most
 * {@code maxKeys} kinds are tracked; past that, new kinds share one entry, so the memory is bounded too.
 */
final class RepeatedLog {
    static final String OTHER = "(other)";

    private final Clock clock;
    private final long intervalMillis;
    private final int maxKeys;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        long loggedAtMillis;
        long suppressed;
    }

    RepeatedLog(Clock clock, Duration interval, int maxKeys) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.maxKeys = maxKeys;
    }

    /**
     * @return -1 when this occurrence should not be logged; otherwise how many were suppressed since the last one
     *         logged (0 the first time)
     */
    synchronized long admit(String key) {
        long now = clock.millis();
        Entry entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= maxKeys - 1) {
                key = OTHER;
                entry = entries.get(key);
            }
            if (entry == null) {
                entry = new Entry();
                entry.loggedAtMillis = now;
                entries.put(key, entry);
                return 0;
            }
        }
        if (now - entry.loggedAtMillis < intervalMillis) {
            entry.suppressed++;
            return -1;
        }
        long suppressed = entry.suppressed;
        entry.suppressed = 0;
        entry.loggedAtMillis = now;
        return suppressed;
    }

    /** The text to append to a logged line: the suppressed count, if any. */
    String repeats(long suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " more like it not logged in the "
                + Duration.ofMillis(intervalMillis).toSeconds() + " s before)";
    }
}
