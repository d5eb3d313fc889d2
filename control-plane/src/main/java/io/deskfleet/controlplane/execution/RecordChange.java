package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;

import java.time.Instant;
import java.util.List;

/** A change to execution records or tasks, queued by the engine and written in batches by {@link RecordWriter}. */
sealed interface RecordChange {

    /** The task whose records or state this changes; null for a {@link Reported} result (its task may be over). */
    String taskId();

    /** The agent started the step. {@code recordKey}: the record's number, which its outcome is stored under. */
    record Started(String taskId, String recordId, long recordKey, Instant startTime) implements RecordChange {
    }

    /**
     * The step ended; a record already terminal is left as it is (a duplicate result changes nothing).
     * {@code reportedRunning}: a {@link Started} was queued for the record, so its outcome may be stored as RUNNING
     * and is updated rather than inserted; without one, the writer only inserts. {@code provisional}: the control
     * plane decided the outcome by a deadline, without a report from the agent, so a {@link Reported} result replaces
     * it.
     */
    record Finished(String taskId, String recordId, long recordKey, StepOutcome outcome, String output, boolean outputTruncated,
                    Instant startTime, Instant endTime, boolean reportedRunning, boolean provisional)
            implements RecordChange {
    }

    /**
     * An agent's result for a record that is no longer in flight: it replaces the record's outcome if that is
     * provisional (and marks it late), and changes nothing otherwise (a copy resent after a reconnect, or an id that
     * is not this desktop's). {@code recount}: the engine no longer runs the record's task, so the writer recounts the
     * finished task from its records; otherwise the engine's next {@link TaskState} carries the counts.
     */
    record Reported(String recordId, String desktopId, StepOutcome outcome, String output, boolean outputTruncated,
                    Instant startTime, Instant endTime, boolean recount) implements RecordChange {
        @Override
        public String taskId() {
            return null;
        }
    }

    /** Every still-WAITING record of these desktops in the task ends with this status. */
    record Closed(String taskId, List<String> desktopIds, RecordStatus status, String reason, Instant endTime)
            implements RecordChange {
        public Closed {
            desktopIds = List.copyOf(desktopIds);
        }
    }

    /** The task's status and counts as they are now; endTime set once it is over. */
    record TaskState(String taskId, TaskStatus status, TaskCounts counts, Instant endTime) implements RecordChange {
    }
}
