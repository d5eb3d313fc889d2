package io.deskfleet.api.execution;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/**
 * Status of one execution record (one script on one desktop), and of a desktop within a task. For the task counts,
 * SUCCESS counts as success_num; FAILED, TIMEOUT and UNDELIVERABLE as failed_num; SKIPPED and CANCELLED as skip_num.
 */
public enum RecordStatus {
    WAITING, RUNNING, SUCCESS,
    /** Non-zero exit, or the desktop could not run it (no interpreter, launch failure, not running, interrupted). */
    FAILED,
    /** Killed when execution_timeout passed. */
    TIMEOUT,
    /** The desktop was not connected to receive the command within the delivery window. */
    UNDELIVERABLE,
    /** Stopped by the user: never started, or killed. */
    CANCELLED,
    /** Never started: the gray batch failed, or an earlier script on the same desktop failed. */
    SKIPPED;

    private static final List<String> ACCEPTED = List.of("WAITING", "RUNNING", "SUCCESS", "FAILED", "TIMEOUT",
            "UNDELIVERABLE", "CANCELLED", "SKIPPED");

    /** For the {@code status} query filter; case-insensitive, null stays null. */
    public static RecordStatus parse(String field, String value) {
        return Fields.enumValue(field, value, RecordStatus.class, ACCEPTED);
    }

    public boolean isTerminal() {
        return this != WAITING && this != RUNNING;
    }

    /** A terminal status that counts as failed_num (and towards the gray failure threshold). */
    public boolean isFailure() {
        return this == FAILED || this == TIMEOUT || this == UNDELIVERABLE;
    }

    /** A terminal status that counts as skip_num. */
    public boolean isSkip() {
        return this == SKIPPED || this == CANCELLED;
    }
}
