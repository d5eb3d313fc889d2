package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.inventory.Activation;
import io.deskfleet.api.inventory.CreateActivationRequest;
import io.deskfleet.api.inventory.DesktopTag;
import io.deskfleet.controlplane.auth.Secrets;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Agent activations (like SSM hybrid activations): a code an operator hands to agents, good for a number of
 * registrations until it expires. Registering creates the desktop in the same transaction that counts it.
 */
@Singleton
public class ActivationStore {
    private final Database db;
    private final PoolStore pools;
    private final Clock clock;

    public ActivationStore(Database db, PoolStore pools, Clock clock) {
        this.db = db;
        this.pools = pools;
        this.clock = clock;
    }

    /** @throws ApiException 404 when the pool is not in the project */
    public Activation create(String projectId, CreateActivationRequest request) {
        String id = UUID.randomUUID().toString();
        String code = Secrets.newSecret();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(Duration.ofHours(request.expiresInHours()));
        if (!pools.exists(projectId, request.poolId())) {
            throw ApiException.notFound("Desktop pool " + request.poolId() + " does not exist.");
        }
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO agent_activations (id, project_id, pool_id, code_hash, description,
                        registration_limit, registrations_count, expires_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, projectId);
                ps.setString(3, request.poolId());
                ps.setString(4, Secrets.sha256Hex(code));
                ps.setString(5, request.description());
                ps.setInt(6, request.registrationLimit());
                ps.setObject(7, Database.toDb(expiresAt));
                ps.setObject(8, Database.toDb(now));
                return ps.executeUpdate();
            }
        });
        return new Activation(id, code, request.poolId(), request.registrationLimit(), Times.iso(expiresAt));
    }

    /** A registration an agent asks for; fields are already checked for presence and length. */
    public record Registration(String projectId, String activationId, String activationCode, String poolId,
                               String computerName, String osType, String agentVersion, List<DesktopTag> tags) {
    }

    public record Registered(String desktopId, String credential) {
    }

    /** Why a registration was refused. */
    public enum Refusal {
        UNKNOWN_ACTIVATION, WRONG_CODE, WRONG_POOL, EXPIRED, USED_UP
    }

    public static class RegistrationRefused extends RuntimeException {
        private final Refusal refusal;

        RegistrationRefused(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * Checks the activation and creates the desktop (ACTIVE, REGISTERED, offline) with a fresh credential, of which
     * only the SHA-256 is kept.
     *
     * @throws RegistrationRefused when the activation does not allow it; nothing is changed then
     */
    public Registered register(Registration r) {
        String desktopId = UUID.randomUUID().toString();
        String credential = Secrets.newSecret();
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT project_id, pool_id, code_hash, expires_at, registrations_count, registration_limit
                    FROM agent_activations WHERE id = ?""")) {
                ps.setString(1, r.activationId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getString(1).equals(r.projectId())) {
                        throw new RegistrationRefused(Refusal.UNKNOWN_ACTIVATION, "Unknown activation.");
                    }
                    if (!Secrets.matches(r.activationCode(), rs.getString(3))) {
                        throw new RegistrationRefused(Refusal.WRONG_CODE, "Wrong activation code.");
                    }
                    if (!rs.getString(2).equals(r.poolId())) {
                        throw new RegistrationRefused(Refusal.WRONG_POOL, "The activation is for another pool.");
                    }
                    if (!now.isBefore(rs.getObject(4, OffsetDateTime.class).toInstant())) {
                        throw new RegistrationRefused(Refusal.EXPIRED, "The activation has expired.");
                    }
                    if (rs.getInt(5) >= rs.getInt(6)) {
                        throw new RegistrationRefused(Refusal.USED_UP, "The activation is used up.");
                    }
                }
            }
            // The guard in the WHERE clause makes the count safe against concurrent registrations.
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE agent_activations SET registrations_count = registrations_count + 1
                    WHERE id = ? AND registrations_count < registration_limit""")) {
                ps.setString(1, r.activationId());
                if (ps.executeUpdate() != 1) {
                    throw new RegistrationRefused(Refusal.USED_UP, "The activation is used up.");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO desktops (id, project_id, pool_id, activation_id, computer_name, os_type, status,
                        login_status, credential_hash, agent_version, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?)""")) {
                ps.setString(1, desktopId);
                ps.setString(2, r.projectId());
                ps.setString(3, r.poolId());
                ps.setString(4, r.activationId());
                ps.setString(5, r.computerName());
                ps.setString(6, r.osType());
                ps.setString(7, LoginStatus.REGISTERED.name());
                ps.setString(8, Secrets.sha256Hex(credential));
                ps.setString(9, r.agentVersion());
                ps.setObject(10, Database.toDb(now));
                ps.executeUpdate();
            }
            if (!r.tags().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO desktop_tags (desktop_id, tag_key, tag_value) VALUES (?, ?, ?)")) {
                    for (DesktopTag tag : r.tags()) {
                        ps.setString(1, desktopId);
                        ps.setString(2, tag.key());
                        ps.setString(3, tag.value());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
        return new Registered(desktopId, credential);
    }
}
