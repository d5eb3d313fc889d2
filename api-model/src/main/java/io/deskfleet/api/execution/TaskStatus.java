package io.deskfleet.api.execution;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/** Status of a script-execution task. */
public enum TaskStatus {
    WAITING, RUNNING, SUCCESS,
    /** At least one desktop failed, or the gray batch reached its failure threshold. */
    FAILED,
    /** Stopped by the user. */
    CANCELLED;

    private static final List<String> ACCEPTED = List.of("WAITING", "RUNNING", "SUCCESS", "FAILED", "CANCELLED");

    /** For the {@code status} query filter; case-insensitive, null stays null. */
    public static TaskStatus parse(String field, String value) {
        return Fields.enumValue(field, value, TaskStatus.class, ACCEPTED);
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == CANCELLED;
    }
}
