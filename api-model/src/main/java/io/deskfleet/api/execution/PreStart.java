package io.deskfleet.api.execution;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/** pre_start: what happens before a desktop's first script. */
public enum PreStart {
    /** Run as the desktop is; a SHUTOFF or HIBERNATED desktop fails with DESKTOP_NOT_RUNNING. The default. */
    NONE,
    /** Start a SHUTOFF or HIBERNATED desktop and run once its agent is connected. */
    START;

    private static final List<String> ACCEPTED = List.of("start", "none");

    /** Case-insensitive; absent means NONE. */
    public static PreStart parse(String field, String value) {
        return value == null ? NONE : Fields.enumValue(field, value, PreStart.class, ACCEPTED);
    }
}
