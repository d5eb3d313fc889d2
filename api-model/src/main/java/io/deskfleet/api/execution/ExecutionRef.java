package io.deskfleet.api.execution;

/** A whole task, or one record (one desktop's run within a task), to stop or retry. */
public record ExecutionRef(Kind kind, String id) {
    public enum Kind { TASK, RECORD }
}
