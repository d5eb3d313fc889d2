package io.deskfleet.controlplane.execution.payload;

import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.controlplane.execution.TaskStep;

import java.util.List;

/**
 * One kind of execution payload: what a request's payload becomes on each desktop, and how a listing shows it
 * again. Everything downstream (records, dispatch, the agent) sees only {@link TaskStep}s, so a new kind is a new
 * bean implementing this plus its {@link ExecutionPayload} record in the API model (docs/architecture.md).
 *
 * @param <P> the payload record this kind handles
 */
public interface PayloadKind<P extends ExecutionPayload> {

    /** The API model's payload record this kind turns into steps. */
    Class<P> payloadType();

    /** The task_type stored with the task and filtered on by the listings. */
    TaskType taskType();

    /**
     * The steps each desktop runs, in order, numbered from 0; a step copies what it runs, so a later change to a
     * stored script does not change a task already started.
     *
     * @throws io.deskfleet.controlplane.refusal.Refused when the payload names something the project does not have
     */
    List<TaskStep> steps(String projectId, P payload);

    /** What a pool task listing shows the task ran, from the steps it stored. */
    Shown shown(List<TaskStep> steps);

    /** A task's payload as a listing shows it: either the scripts it ran or its one inline command. */
    record Shown(List<TaskStep> scripts, TaskStep command) {

        public static Shown scripts(List<TaskStep> steps) {
            return new Shown(steps, null);
        }

        public static Shown command(TaskStep step) {
            return new Shown(null, step);
        }
    }
}
