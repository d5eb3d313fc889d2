package io.deskfleet.controlplane.db;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The one textual form of instants in REST bodies: ISO-8601 UTC with millisecond precision. */
public final class Times {
    private Times() {
    }

    public static String iso(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
