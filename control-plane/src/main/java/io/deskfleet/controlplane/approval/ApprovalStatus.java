package io.deskfleet.controlplane.approval;

/** Where a held task's approval stands. Only PENDING_APPROVAL changes, once, to one of the other three. */
public enum ApprovalStatus {
    /** The task waits (its contract status is WAITING); nothing of it runs. */
    PENDING_APPROVAL,
    /** A second admin approved: the task was handed to the rollout engine. */
    APPROVED,
    /** An admin refused it with a reason: the task is CANCELLED, nothing ran. */
    REJECTED,
    /** Nobody decided within deskfleet.approval.expiry: the task is CANCELLED, nothing ran. */
    EXPIRED;

    public boolean isDecided() {
        return this != PENDING_APPROVAL;
    }
}
