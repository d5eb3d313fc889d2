package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.refusal.Refusal;

import java.time.Instant;
import java.util.Optional;

/**
 * The approval an execution task waits for because it touches protected desktops.
 *
 * @param requestedBy       the requester's user name, or {@code system} for a scheduled fire
 * @param requesterUserId   the user who may not approve: the requester, or for a fire the user who last saved the
 *                          scheduled task (null when unknown: then any admin may approve)
 * @param scheduledTaskId   the scheduled task whose fire created the task, else null
 * @param protectedDesktops how many of the task's desktops are protected
 */
public record Approval(String taskId, String projectId, ApprovalStatus status, String requestedBy,
                       String requesterUserId, String scheduledTaskId, int protectedDesktops, Instant requestedAt,
                       Instant expiresAt, String decidedBy, Instant decidedAt, String reason) {

    static final int MAX_REASON = 1024;

    /** Why {@code approverUserId} may not approve now, if they may not: the four-eyes rule and the state rules. */
    public Optional<Refusal> refuseApproval(String approverUserId, Instant now) {
        return refuseDecision(now).or(() -> approverUserId.equals(requesterUserId)
                ? Optional.of(Refusal.notPermitted("Task " + taskId
                + " must be approved by an admin other than the one who requested it."))
                : Optional.empty());
    }

    /** Why it may not be rejected now with this reason, if it may not. The requester may withdraw their own task. */
    public Optional<Refusal> refuseRejection(String rejectReason, Instant now) {
        if (rejectReason == null || rejectReason.isBlank()) {
            return Optional.of(Refusal.invalid("reason: must not be empty."));
        }
        if (rejectReason.length() > MAX_REASON) {
            return Optional.of(Refusal.invalid("reason: must be at most " + MAX_REASON + " characters."));
        }
        return refuseDecision(now);
    }

    private Optional<Refusal> refuseDecision(Instant now) {
        if (status.isDecided()) {
            return Optional.of(Refusal.invalidState("The approval of task " + taskId + " is already "
                    + status + "."));
        }
        if (isDueToExpire(now)) {
            return Optional.of(Refusal.invalidState("The approval of task " + taskId + " has expired."));
        }
        return Optional.empty();
    }

    public boolean isDueToExpire(Instant now) {
        return status == ApprovalStatus.PENDING_APPROVAL && !now.isBefore(expiresAt);
    }
}
