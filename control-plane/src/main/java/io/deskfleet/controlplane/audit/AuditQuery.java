package io.deskfleet.controlplane.audit;

import java.time.Instant;

/** The filters of the audit-events list; a null filter matches every event. */
public record AuditQuery(String projectId, Instant from, Instant to, String userName, String operation,
                         String targetId, AuditEvent.Outcome outcome) {
}
