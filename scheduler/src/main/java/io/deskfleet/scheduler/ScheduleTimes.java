package io.deskfleet.scheduler;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Local wall-clock times of scheduled tasks: the contract's {@code yyyy-MM-dd HH:mm:ss} strings and the one rule
 * that turns a local time into an instant, used for fire times and expire times alike.
 */
public final class ScheduleTimes {
    /** The contract's scheduled-task time format. STRICT so that 2026-02-30 or 24:00:00 are refused, not adjusted. */
    public static final DateTimeFormatter CONTRACT_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    private ScheduleTimes() {
    }

    /**
     * The instant of a local date-time in a zone. A time skipped by a daylight-saving gap becomes the instant the
     * gap ends (the first instant that exists after it); a time that occurs twice in an overlap becomes its earlier
     * occurrence. Every local date-time therefore maps to exactly one instant.
     */
    public static Instant toInstant(LocalDateTime local, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        ZoneOffset earliestInstant = offsets.get(0);
        for (ZoneOffset offset : offsets) {
            // The larger the offset from UTC, the earlier the instant.
            if (offset.getTotalSeconds() > earliestInstant.getTotalSeconds()) {
                earliestInstant = offset;
            }
        }
        return local.toInstant(earliestInstant);
    }

    /** {@code instant} as a contract string in {@code zone}, e.g. {@code 2026-03-08 03:00:00}. */
    public static String format(Instant instant, ZoneId zone) {
        return CONTRACT_FORMAT.format(instant.atZone(zone));
    }

    /** Parses a contract string; a malformed one is an {@link InvalidFieldException} for {@code field}. */
    public static LocalDateTime parseLocal(String text, String field) {
        try {
            return LocalDateTime.parse(text, CONTRACT_FORMAT);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, field + " must be a valid date-time in the format yyyy-MM-dd HH:mm:ss, got '" + text + "'");
        }
    }

    /** Parses a contract string as a local time in {@code zone}, resolved as {@link #toInstant} does. */
    public static Instant parse(String text, ZoneId zone, String field) {
        return toInstant(parseLocal(text, field), zone);
    }

    /** The zone of a {@code time_zone} field: any java.time zone id; null or blank means UTC. */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidFieldException("time_zone", "time_zone '" + timeZone + "' is not a known time zone id (use an IANA id such as Asia/Shanghai)");
        }
    }
}
