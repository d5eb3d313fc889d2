package io.deskfleet.controlplane.execution.payload;

import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.controlplane.execution.TaskStep;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every {@link PayloadKind} bean, looked up by the payload a request carries or the task type a task stored. */
@Singleton
public class PayloadKinds {
    private final Map<Class<?>, PayloadKind<?>> byPayload = new HashMap<>();
    private final Map<TaskType, PayloadKind<?>> byTaskType = new EnumMap<>(TaskType.class);

    public PayloadKinds(List<PayloadKind<?>> kinds) {
        for (PayloadKind<?> kind : kinds) {
            byPayload.put(kind.payloadType(), kind);
            byTaskType.put(kind.taskType(), kind);
        }
        // Fail at start-up, not on the first request that carries the kind nobody handles.
        for (Class<?> payload : ExecutionPayload.class.getPermittedSubclasses()) {
            if (!byPayload.containsKey(payload)) {
                throw new IllegalStateException("no PayloadKind bean for " + payload.getName());
            }
        }
    }

    /** The steps the payload runs on each desktop (see {@link PayloadKind#steps}). */
    public List<TaskStep> steps(String projectId, ExecutionPayload payload) {
        return steps(byPayload.get(payload.getClass()), projectId, payload);
    }

    /** How a listing shows a stored task of this type. */
    public PayloadKind.Shown shown(TaskType taskType, List<TaskStep> steps) {
        return byTaskType.get(taskType).shown(steps);
    }

    private static <P extends ExecutionPayload> List<TaskStep> steps(PayloadKind<P> kind, String projectId,
                                                                    ExecutionPayload payload) {
        return kind.steps(projectId, kind.payloadType().cast(payload));
    }
}
