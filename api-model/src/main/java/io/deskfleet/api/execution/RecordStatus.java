package io.deskfleet.api.execution;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/**
 * Status of one execution record (one script on one desktop), and of a desktop within a task. For the task counts,
 * SUCCESS counts as success_num; FAILED, TIMEOUT, UNDELIVERABLE and UNKNOWN as failed_num; SKIPPED and CANCELLED as
 * skip_num. TIMEOUT, UNDELIVERABLE and UNKNOWN set by the control plane's deadlines (not reported by the agent), and
 * CANCELLED for a stopped command the agent never reported on, are provisional: a result the agent reports later
 * replaces them (docs/reliability.md, "Records say what the control plane knew").
 */
public enum RecordStatus {
    WAITING, RUNNING, SUCCESS,
    /** Non-zero exit, or the desktop could not run it (no interpreter, launch failure, not running, interrupted). */
    FAILED,
    /** Killed when execution_timeout passed. */
    TIMEOUT,
    /** The command never reached the desktop: no stream took it within the delivery window. */
    UNDELIVERABLE,
    /**
     * The command may have reached the desktop (it was sent on a stream, or a restarted control plane cannot tell),
     * but the desktop reported neither its start nor its result within the delivery window.
     */
    UNKNOWN,
    /** Stopped by the user: never started, or killed. */
    CANCELLED,
    /** Never started: the gray batch failed, or an earlier script on the same desktop failed. */
    SKIPPED;

    private static final List<String> ACCEPTED = List.of("WAITING", "RUNNING", "SUCCESS", "FAILED", "TIMEOUT",
            "UNDELIVERABLE", "UNKNOWN", "CANCELLED", "SKIPPED");

    /** For the {@code status} query filter; case-insensitive, null stays null. */
    public static RecordStatus parse(String field, String value) {
        return Fields.enumValue(field, value, RecordStatus.class, ACCEPTED);
    }

    public boolean isTerminal() {
        return this != WAITING && this != RUNNING;
    }

    /** A terminal status that counts as failed_num (and towards the gray failure threshold). */
    public boolean isFailure() {
        return this == FAILED || this == TIMEOUT || this == UNDELIVERABLE || this == UNKNOWN;
    }

    /** A terminal status that counts as skip_num. */
    public boolean isSkip() {
        return this == SKIPPED || this == CANCELLED;
    }
}
