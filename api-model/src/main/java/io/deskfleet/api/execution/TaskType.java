package io.deskfleet.api.execution;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/** SCRIPT when the task runs stored scripts, COMMAND when it runs command_content. */
public enum TaskType {
    SCRIPT, COMMAND;

    private static final List<String> ACCEPTED = List.of("SCRIPT", "COMMAND");

    /** For the {@code task_type} query filter; case-insensitive, null stays null. */
    public static TaskType parse(String field, String value) {
        return Fields.enumValue(field, value, TaskType.class, ACCEPTED);
    }
}
