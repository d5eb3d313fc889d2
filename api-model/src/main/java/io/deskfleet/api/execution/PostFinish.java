package io.deskfleet.api.execution;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/**
 * post_finish: the power action once a desktop that ran has finished its scripts (SUCCESS, FAILED or TIMEOUT); never
 * for a desktop that did not run (SKIPPED, CANCELLED before start, UNDELIVERABLE).
 */
public enum PostFinish {
    /** Absent in the request: leave the desktop as it is. */
    NONE,
    STOP,
    REBOOT;

    private static final List<String> ACCEPTED = List.of("stop", "reboot");

    /** Case-insensitive; absent means NONE. */
    public static PostFinish parse(String field, String value) {
        return value == null ? NONE : Fields.enumValue(field, value, PostFinish.class, ACCEPTED);
    }
}
