package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.ExecutionRef;
import io.deskfleet.api.execution.ExecutionRequest;
import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.controlplane.approval.ApprovalGate;
import io.deskfleet.controlplane.audit.Actor;
import io.deskfleet.controlplane.audit.AuditTrail;
import io.deskfleet.controlplane.execution.payload.PayloadKinds;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.controlplane.inventory.TargetResolver;
import io.deskfleet.controlplane.refusal.Refusal;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Starting, stopping and retrying executions. A task is stored with all its records before its id is returned,
 * and only then handed to the {@link RolloutEngine}; a refused request stores nothing.
 */
@Singleton
public class ExecutionService {
    private final TaskCreation creation;
    private final ExecutionQueries queries;
    private final TargetResolver targets;
    private final PayloadKinds payloads;
    private final RolloutEngine engine;
    private final Clock clock;
    private final ApprovalGate approvals;
    private final AuditTrail trail;

    public ExecutionService(TaskCreation creation, ExecutionQueries queries, TargetResolver targets,
                            PayloadKinds payloads, RolloutEngine engine, Clock clock, ApprovalGate approvals,
                            AuditTrail trail) {
        this.creation = creation;
        this.queries = queries;
        this.targets = targets;
        this.payloads = payloads;
        this.engine = engine;
        this.clock = clock;
        this.approvals = approvals;
        this.trail = trail;
    }

    /** The new task, or only its plan when the request is a dry run. */
    public StartResult start(String projectId, ExecutionRequest request) {
        Map<String, TargetDesktop> desktops = targets.require(projectId, request.target());
        List<TaskStep> steps = payloads.steps(projectId, request.payload());
        Set<String> offline = offline(desktops);
        RolloutPlan plan = RolloutPlanner.plan(List.copyOf(desktops.keySet()), offline, request.gray(),
                request.maxConcurrency());
        if (request.dryRun()) {
            return new StartResult.Planned(plan, offline.size());
        }
        String poolId = request.target() instanceof ExecutionTarget.Pool pool ? pool.poolId() : null;
        TaskDefinition task = new TaskDefinition(UUID.randomUUID().toString(), projectId, poolId,
                request.payload().taskType(), steps, request.executionTimeoutMinutes(), request.preStart(),
                request.postFinish(), RecordIds.CURRENT);
        String tag = request.target() instanceof ExecutionTarget.Tag t ? t.key() + "=" + t.value() : null;
        return launch(task, plan, desktops, offline.size(), tag, null);
    }

    private StartResult.Started launch(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> desktops,
                                       int offlineCount, String desktopTag, String retryOf) {
        boolean held = approvals.holdIfProtected(task.projectId(), task.id(), desktops.keySet());
        RecordKeys keys = creation.create(task, plan, desktops, new TaskOrigin(creator(), desktopTag, retryOf),
                clock.instant(), !held);
        if (held) {
            approvals.markWaiting(task.id()); // runs once a second admin approves (approval.ApprovalDecisions)
        } else {
            engine.start(task, plan, desktops, keys);
        }
        return new StartResult.Started(task.id(), offlineCount);
    }

    /** Who starts the task: the request's user, or the system for a scheduled fire. */
    private String creator() {
        Actor actor = trail.currentActor();
        return actor.userName() == null ? Actor.SYSTEM_NAME : actor.userName();
    }

    private static Set<String> offline(Map<String, TargetDesktop> desktops) {
        return desktops.values().stream().filter(d -> !d.online()).map(TargetDesktop::id).collect(Collectors.toSet());
    }

    /** Stops a whole task or one record's desktop. */
    public void stop(String projectId, ExecutionRef ref) {
        String taskId;
        String desktopId = null;
        if (ref.kind() == ExecutionRef.Kind.RECORD) {
            ExecutionQueries.RecordOwner owner = queries.requireRecordOwner(projectId, ref.id());
            taskId = owner.taskId();
            desktopId = owner.desktopId();
        } else {
            taskId = queries.requireTask(projectId, ref.id()).id();
        }
        if (!engine.stop(taskId, desktopId) && !(engine.takeOver(taskId) && engine.stop(taskId, desktopId))) {
            throw Refusal.invalidState("Task " + taskId + " has already finished.").asException();
        }
    }

    /** Re-runs a finished task's failed desktops (or one record's desktop) as a new task with the same steps. */
    public StartResult.Started retry(String projectId, ExecutionRef ref) {
        ExecutionQueries.StoredTask original;
        List<String> desktopIds;
        if (ref.kind() == ExecutionRef.Kind.RECORD) {
            ExecutionQueries.RecordOwner owner = queries.requireRecordOwner(projectId, ref.id());
            original = queries.requireTask(projectId, owner.taskId());
            desktopIds = List.of(owner.desktopId());
        } else {
            original = queries.requireTask(projectId, ref.id());
            desktopIds = queries.failedDesktops(original.id());
        }
        if (!original.status().isTerminal()) {
            throw Refusal.invalidState("Task " + original.id() + " is still running.").asException();
        }
        if (desktopIds.isEmpty()) {
            throw Refusal.invalidState("Task " + original.id() + " has no failed desktop to retry.").asException();
        }
        Map<String, TargetDesktop> desktops = targets.resolve(projectId, new ExecutionTarget.Desktops(desktopIds))
                .stream().collect(Collectors.toMap(TargetDesktop::id, d -> d, (a, b) -> a, LinkedHashMap::new));
        if (desktops.isEmpty()) {
            throw Refusal.invalidState("The failed desktops of task " + original.id() + " no longer exist.")
                    .asException();
        }
        Set<String> offline = offline(desktops);
        RolloutPlan plan = RolloutPlanner.plan(List.copyOf(desktops.keySet()), offline, new GraySpec.None(),
                MaxConcurrency.UNLIMITED);
        TaskDefinition task = new TaskDefinition(UUID.randomUUID().toString(), projectId, original.poolId(),
                original.taskType(), queries.steps(original.id()), original.executionTimeoutMinutes(),
                original.preStart(), original.postFinish(), RecordIds.CURRENT);
        return launch(task, plan, desktops, offline.size(), null, original.id());
    }
}
