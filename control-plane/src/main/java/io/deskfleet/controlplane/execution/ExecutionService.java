package io.deskfleet.controlplane.execution;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.ExecutionRef;
import io.deskfleet.api.execution.ExecutionRequest;
import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.api.script.ScriptDetail;
import io.deskfleet.controlplane.approval.ApprovalGate;
import io.deskfleet.controlplane.script.ScriptStore;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
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
    private final ExecutionStore store;
    private final ExecutionQueries queries;
    private final ScriptStore scripts;
    private final RolloutEngine engine;
    private final ApprovalGate approvals;

    public ExecutionService(ExecutionStore store, ExecutionQueries queries, ScriptStore scripts, RolloutEngine engine,
                            ApprovalGate approvals) {
        this.store = store;
        this.queries = queries;
        this.scripts = scripts;
        this.engine = engine;
        this.approvals = approvals;
    }

    /** The new task's id, or the plan when the request is a dry run. */
    public Object start(String projectId, ExecutionRequest request) {
        Map<String, TargetDesktop> targets = targets(projectId, request.target());
        List<TaskStep> steps = steps(projectId, request.payload());
        Set<String> offline = offline(targets);
        RolloutPlan plan = RolloutPlanner.plan(List.copyOf(targets.keySet()), offline, request.gray(),
                request.maxConcurrency());
        if (request.dryRun()) {
            return plan.toResponse(offline.size());
        }
        String poolId = request.target() instanceof ExecutionTarget.Pool pool ? pool.poolId() : null;
        TaskDefinition task = new TaskDefinition(UUID.randomUUID().toString(), projectId, poolId,
                request.payload().taskType(), steps, request.executionTimeoutMinutes(), request.preStart(),
                request.postFinish(), RecordIds.CURRENT);
        return launch(task, plan, targets, offline.size(), null);
    }

    private TaskIdResponse launch(TaskDefinition task, RolloutPlan plan, Map<String, TargetDesktop> targets,
                                  int offlineCount, String retryOf) {
        boolean held = approvals.holdIfProtected(task.projectId(), task.id(), targets.keySet());
        RecordKeys keys = store.create(task, plan, targets, retryOf, Instant.now());
        if (held) {
            approvals.markWaiting(task.id()); // runs once a second admin approves (approval.ApprovalDecisions)
        } else {
            engine.start(task, plan, targets, keys);
        }
        return new TaskIdResponse(task.id(), offlineCount);
    }

    private static Set<String> offline(Map<String, TargetDesktop> targets) {
        return targets.values().stream().filter(d -> !d.online()).map(TargetDesktop::id).collect(Collectors.toSet());
    }

    /** Target desktops by id, in id order. */
    private Map<String, TargetDesktop> targets(String projectId, ExecutionTarget target) {
        List<TargetDesktop> found = store.resolve(projectId, target);
        // Only a pool without desktops needs the second query that tells an empty pool from a missing one.
        if (found.isEmpty() && target instanceof ExecutionTarget.Pool pool
                && !store.poolExists(projectId, pool.poolId())) {
            throw ApiException.notFound("Desktop pool " + pool.poolId() + " does not exist.");
        }
        Map<String, TargetDesktop> byId = new LinkedHashMap<>();
        found.forEach(d -> byId.put(d.id(), d));
        if (target instanceof ExecutionTarget.Pool pool && !pool.desktopIds().isEmpty()) {
            RolloutPlanner.requireSubset("desktop_ids", pool.desktopIds(), byId.keySet(), "not in the pool");
            Set<String> wanted = Set.copyOf(pool.desktopIds());
            byId.keySet().retainAll(wanted);
        } else if (target instanceof ExecutionTarget.Desktops desktops) {
            RolloutPlanner.requireSubset("resource_ids", desktops.desktopIds(), byId.keySet(), "no such desktop");
        }
        return byId;
    }

    private List<TaskStep> steps(String projectId, ExecutionPayload payload) {
        if (payload instanceof ExecutionPayload.Command command) {
            return List.of(new TaskStep(0, null, null, command.type(), command.content()));
        }
        List<String> ids = ((ExecutionPayload.Scripts) payload).scriptIds();
        Map<String, ScriptDetail> found = scripts.findAll(projectId, ids);
        RolloutPlanner.requireSubset("script_ids", ids, found.keySet(), "no such script");
        List<TaskStep> steps = new ArrayList<>();
        for (String id : ids) {
            ScriptDetail script = found.get(id);
            steps.add(new TaskStep(steps.size(), id, script.name(), script.type(), script.content()));
        }
        return steps;
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
        if (!engine.stop(taskId, desktopId)) {
            throw new ApiException(ErrorCode.CONFLICT, "Task " + taskId + " has already finished.");
        }
    }

    /** Re-runs a finished task's failed desktops (or one record's desktop) as a new task with the same steps. */
    public TaskIdResponse retry(String projectId, ExecutionRef ref) {
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
            throw new ApiException(ErrorCode.CONFLICT, "Task " + original.id() + " is still running.");
        }
        if (desktopIds.isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "Task " + original.id() + " has no failed desktop to retry.");
        }
        Map<String, TargetDesktop> targets = store.resolve(projectId, new ExecutionTarget.Desktops(desktopIds))
                .stream().collect(Collectors.toMap(TargetDesktop::id, d -> d, (a, b) -> a, LinkedHashMap::new));
        if (targets.isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "The failed desktops of task " + original.id()
                    + " no longer exist.");
        }
        Set<String> offline = offline(targets);
        RolloutPlan plan = RolloutPlanner.plan(List.copyOf(targets.keySet()), offline, new GraySpec.None(),
                MaxConcurrency.UNLIMITED);
        TaskDefinition task = new TaskDefinition(UUID.randomUUID().toString(), projectId, original.poolId(),
                original.taskType(), queries.steps(original.id()), original.executionTimeoutMinutes(),
                original.preStart(), original.postFinish(), RecordIds.CURRENT);
        return launch(task, plan, targets, offline.size(), original.id());
    }
}
