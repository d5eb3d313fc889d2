package io.deskfleet.controlplane.auth;

import java.time.Instant;

/** What a signed token asserts. */
public record TokenClaims(String userId, String userName, Caller.Role role, String projectId, Instant issuedAt,
                          Instant expiresAt) {

    public Caller caller() {
        return new Caller(userId, userName, role, projectId);
    }
}
