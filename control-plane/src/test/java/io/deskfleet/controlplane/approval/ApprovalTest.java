package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.refusal.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApprovalTest {
    private static final Instant REQUESTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant EXPIRES = REQUESTED.plusSeconds(3600);

    private static Approval pending(String requester) {
        return new Approval("t1", "p", ApprovalStatus.PENDING_APPROVAL, "bob", requester, null, 1, REQUESTED,
                EXPIRES, null, null, null);
    }

    private static Refusal.Reason reason(Optional<Refusal> refusal) {
        return refusal.orElseThrow().reason();
    }

    @Test
    void anotherAdminMayApproveBeforeTheDeadline() {
        assertTrue(pending("bob-id").refuseApproval("carol-id", REQUESTED.plusSeconds(60)).isEmpty());
    }

    @Test
    void theRequesterMayNotApprove() {
        assertEquals(Refusal.Reason.NOT_PERMITTED, reason(pending("bob-id").refuseApproval("bob-id", REQUESTED)));
    }

    @Test
    void aFireWithoutAKnownRequesterMayBeApprovedByAnyAdmin() {
        assertTrue(pending(null).refuseApproval("bob-id", REQUESTED).isEmpty());
    }

    @Test
    void nothingIsDecidedTwiceOrAfterTheDeadline() {
        Approval rejected = new Approval("t1", "p", ApprovalStatus.REJECTED, "bob", "bob-id", null, 1, REQUESTED,
                EXPIRES, "carol", REQUESTED, "no");
        assertEquals(Refusal.Reason.INVALID_STATE, reason(rejected.refuseApproval("carol-id", REQUESTED)));
        assertEquals(Refusal.Reason.INVALID_STATE, reason(rejected.refuseRejection("again", REQUESTED)));
        assertEquals(Refusal.Reason.INVALID_STATE, reason(pending("bob-id").refuseApproval("carol-id", EXPIRES)));
        assertTrue(pending("bob-id").isDueToExpire(EXPIRES));
        assertTrue(!pending("bob-id").isDueToExpire(EXPIRES.minusMillis(1)));
    }

    @Test
    void aRejectionNeedsAReason() {
        assertEquals(Refusal.Reason.INVALID_ARGUMENT, reason(pending("b").refuseRejection(" ", REQUESTED)));
        assertEquals(Refusal.Reason.INVALID_ARGUMENT,
                reason(pending("b").refuseRejection("x".repeat(1025), REQUESTED)));
        assertTrue(pending("b").refuseRejection("not now", REQUESTED).isEmpty());
    }
}
