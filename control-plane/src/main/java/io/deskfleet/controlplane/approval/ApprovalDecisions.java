package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.audit.AuditTrail;
import io.deskfleet.controlplane.auth.Caller;
import io.deskfleet.controlplane.execution.RolloutEngine;
import io.deskfleet.controlplane.refusal.Refusal;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Approving, rejecting and expiring held tasks. Each decision is stored before it is acknowledged; an approved task
 * is handed to the rollout engine only after its approval is stored, so a restart in between still runs it (the
 * engine's recovery picks it up) and a refused one never runs.
 */
@Singleton
public class ApprovalDecisions {
    static final String EXPIRE_OPERATION = "approval.expire";
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalDecisions.class);

    private final ApprovalStore approvals;
    private final RolloutEngine engine;
    private final AuditTrail trail;
    private final Clock clock;
    private final HeldTaskEvents events;

    public ApprovalDecisions(ApprovalStore approvals, RolloutEngine engine, AuditTrail trail, Clock clock,
                             HeldTaskEvents events) {
        this.approvals = approvals;
        this.engine = engine;
        this.trail = trail;
        this.clock = clock;
        this.events = events;
    }

    public Approval approve(Caller caller, String projectId, String taskId) {
        Instant now = clock.instant();
        Approval approval = require(projectId, taskId);
        refuse(approval.refuseApproval(caller.userId(), now), approval, now);
        if (!approvals.decide(taskId, ApprovalStatus.APPROVED, caller.userName(), null, now)) {
            throw Refusal.invalidState("The approval of task " + taskId + " was decided meanwhile.").asException();
        }
        engine.resume(projectId, taskId);
        return require(projectId, taskId);
    }

    public Approval reject(Caller caller, String projectId, String taskId, String reason) {
        Instant now = clock.instant();
        Approval approval = require(projectId, taskId);
        refuse(approval.refuseRejection(reason, now), approval, now);
        if (!approvals.decide(taskId, ApprovalStatus.REJECTED, caller.userName(), reason, now)) {
            throw Refusal.invalidState("The approval of task " + taskId + " was decided meanwhile.").asException();
        }
        events.changed(taskId, true);
        return require(projectId, taskId);
    }

    public Approval require(String projectId, String taskId) {
        return approvals.find(projectId, taskId).orElseThrow(() ->
                Refusal.notFound("Task " + taskId + " has no approval in this project.").asException());
    }

    /** Ends every approval whose time ran out; returns how many. */
    public int expireDue() {
        Instant now = clock.instant();
        int expired = 0;
        for (Approval approval : approvals.dueToExpire(now, 100)) {
            if (expire(approval, now)) {
                expired++;
            }
        }
        return expired;
    }

    private boolean expire(Approval approval, Instant now) {
        if (!approvals.decide(approval.taskId(), ApprovalStatus.EXPIRED, null, null, now)) {
            return false;
        }
        events.changed(approval.taskId(), true);
        LOG.info("task={} approval expired, the task is cancelled", approval.taskId());
        trail.recordSystem(approval.projectId(), approval.scheduledTaskId(), EXPIRE_OPERATION,
                approval.scheduledTaskId() == null ? List.of(approval.taskId())
                        : List.of(approval.taskId(), approval.scheduledTaskId()),
                "{\"expires_at\":\"" + approval.expiresAt() + "\"}", true, null);
        return true;
    }

    /** Throws the refusal; an approval found past its time is expired on the spot, so what the caller reads holds. */
    private void refuse(Optional<Refusal> refusal, Approval approval, Instant now) {
        if (refusal.isPresent()) {
            if (approval.isDueToExpire(now)) {
                expire(approval, now);
            }
            throw refusal.get().asException();
        }
    }
}
