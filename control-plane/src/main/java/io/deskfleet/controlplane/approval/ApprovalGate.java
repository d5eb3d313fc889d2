package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.audit.Actor;
import io.deskfleet.controlplane.audit.AuditStore;
import io.deskfleet.controlplane.audit.AuditTrail;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Where executions meet four eyes: before a new task is stored, it is held for approval when any of its desktops is
 * protected. The hold is stored first, so no crash between it and the task can let the task run unapproved (the
 * engine's recovery skips held tasks).
 */
@Singleton
public class ApprovalGate {
    static final String REQUEST_OPERATION = "approval.request";

    private final ProtectedTargetStore protections;
    private final ApprovalStore approvals;
    private final AuditTrail trail;
    private final AuditStore audit;
    private final Clock clock;
    private final Duration expiry;
    private final HeldTaskEvents events;

    public ApprovalGate(ProtectedTargetStore protections, ApprovalStore approvals, AuditTrail trail, AuditStore audit,
                        Clock clock, @Value("${deskfleet.approval.expiry:24h}") Duration expiry,
                        HeldTaskEvents events) {
        this.protections = protections;
        this.approvals = approvals;
        this.trail = trail;
        this.audit = audit;
        this.clock = clock;
        this.expiry = expiry;
        this.events = events;
    }

    /**
     * Stores a pending approval for the task when it touches a protected desktop; call before the task is stored.
     *
     * @return true when the task is held: store it, then call {@link #markWaiting}, and do not start it
     */
    public boolean holdIfProtected(String projectId, String taskId, Collection<String> desktopIds) {
        if (desktopIds.isEmpty() || !protections.protectsAnything(projectId)) {
            return false;
        }
        int protectedCount = protections.countProtected(projectId, desktopIds);
        if (protectedCount == 0) {
            return false;
        }
        Actor actor = trail.currentActor();
        String requester = actor.isSystem() && actor.scheduledTaskId() != null
                ? audit.lastUserWhoChanged(projectId, actor.scheduledTaskId()).orElse(null)
                : actor.userId();
        Instant now = clock.instant();
        approvals.insert(new Approval(taskId, projectId, ApprovalStatus.PENDING_APPROVAL,
                actor.userName() == null ? Actor.SYSTEM_NAME : actor.userName(), requester,
                actor.scheduledTaskId(), protectedCount, now, now.plus(expiry), null, null, null));
        trail.recordAct(projectId, REQUEST_OPERATION,
                actor.scheduledTaskId() == null ? List.of(taskId) : List.of(taskId, actor.scheduledTaskId()),
                "{\"protected_desktops\":" + protectedCount + ",\"expires_at\":\"" + now.plus(expiry) + "\"}");
        return true;
    }

    /** The held task, now stored, shows WAITING (also on the live streams). */
    public void markWaiting(String taskId) {
        approvals.markWaiting(taskId);
        events.changed(taskId, false);
    }
}
