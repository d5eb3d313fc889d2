package io.deskfleet.controlplane.audit;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the audit trail. {@code requestSummary} never holds a password, secret, token or key (see
 * {@link RequestSummary}); {@code statusCode} is null for the control plane's own acts.
 */
public record AuditEvent(String projectId, Instant occurredAt, Actor actor, String clientAddress, String operation,
                         List<String> targetIds, String requestSummary, Outcome outcome, Integer statusCode,
                         String errorCode) {

    public enum Outcome { SUCCESS, FAILURE }

    public AuditEvent {
        // bounded: an execution on thousands of desktops keeps the first ids, its summary says the rest
        targetIds = targetIds.stream().filter(id -> id != null && !id.isEmpty()).distinct()
                .limit(RequestSummary.MAX_TARGETS).toList();
    }
}
