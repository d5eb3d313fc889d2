package io.deskfleet.api.validation;

import io.deskfleet.api.error.ApiException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Field rules shared by every request body. Each failure is a 400 whose message starts with the JSON field name,
 * so a client can tell which field to fix.
 */
public final class Fields {
    /** Ids are stored in VARCHAR(64) columns; a longer id cannot exist, so it is refused up front. */
    public static final int MAX_ID_LENGTH = 64;

    private Fields() {
    }

    public static String requiredText(String field, String value, int maxLength) {
        if (value == null) {
            throw ApiException.invalid(field + ": is required");
        }
        return text(field, value, maxLength);
    }

    /** Absent stays null; a present value must not be blank. */
    public static String optionalText(String field, String value, int maxLength) {
        return value == null ? null : text(field, value, maxLength);
    }

    private static String text(String field, String value, int maxLength) {
        if (value.isBlank()) {
            throw ApiException.invalid(field + ": must not be empty");
        }
        return bounded(field, value, maxLength);
    }

    /**
     * Any present text: at most {@code maxLength} characters (the column's width, where it is stored) and no NUL,
     * which PostgreSQL cannot store. The HTTP layer already refuses NUL in a body's strings; this also covers text
     * read from inside a JSON string field, such as a scheduled task's {@code extra_params}.
     */
    public static String bounded(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(field + ": must be at most " + maxLength + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw ApiException.invalid(field + ": must not contain NUL (\\u0000) characters");
        }
        return value;
    }

    /** Absent yields {@code defaultValue}; a present value must lie in [min, max]. */
    public static int intInRange(String field, Integer value, int min, int max, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw ApiException.invalid(field + ": must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * A list of ids: no empty or over-long entries, no duplicates. Absent and empty both yield an empty list
     * (SDKs often send {@code []} for "not set").
     */
    public static List<String> ids(String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        List<String> result = new ArrayList<>(values.size());
        for (String id : values) {
            if (id == null || id.isBlank()) {
                throw ApiException.invalid(field + ": must not contain empty ids");
            }
            if (id.length() > MAX_ID_LENGTH) {
                throw ApiException.invalid(field + ": id longer than " + MAX_ID_LENGTH + " characters: "
                        + id.substring(0, MAX_ID_LENGTH) + "...");
            }
            bounded(field, id, MAX_ID_LENGTH);
            if (!seen.add(id)) {
                throw ApiException.invalid(field + ": duplicate id " + id);
            }
            result.add(id);
        }
        return List.copyOf(result);
    }

    /** Case-insensitive enum lookup; the message lists the accepted values in the contract's spelling. */
    public static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type, List<String> accepted) {
        if (value == null) {
            return null;
        }
        String normalized = value.trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalized) && accepted.stream().anyMatch(a -> a.equalsIgnoreCase(normalized))) {
                return constant;
            }
        }
        throw ApiException.invalid(field + ": must be one of " + String.join(", ", accepted) + ", got '" + value + "'");
    }

    /** Formats at most 20 ids for an error message, so a 10,000-id mistake stays readable. */
    public static String sample(List<String> ids) {
        int shown = Math.min(ids.size(), 20);
        String listed = String.join(", ", ids.subList(0, shown));
        return shown == ids.size() ? listed : listed + " (and " + (ids.size() - shown) + " more)";
    }
}
