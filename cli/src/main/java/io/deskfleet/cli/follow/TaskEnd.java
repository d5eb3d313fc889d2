package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.TaskStatus;

/** Data of the {@code end} event: the task's terminal status. */
public record TaskEnd(TaskStatus status) {
}
