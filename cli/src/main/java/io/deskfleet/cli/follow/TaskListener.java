package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.ScriptExecutionRecord;

/** What a {@link TaskFollower} tells as the task's events arrive; it calls one listener from one thread. */
public interface TaskListener {

    /** The watch changed; {@code ended}: the task's end event came, this is the last call. */
    void updated(TaskWatch watch, boolean ended);

    /** A line about the following itself (a reconnect). */
    void note(String message);

    /** A record event, after the watch applied it; {@code firstFailure}: the record's first failed state. */
    default void record(ScriptExecutionRecord record, boolean firstFailure) {
    }

    /** Output of a record, as the control plane stored it. */
    default void output(OutputChunk chunk) {
    }

    /** True once the listener needs no more events, though the task goes on. */
    default boolean satisfied() {
        return false;
    }
}
