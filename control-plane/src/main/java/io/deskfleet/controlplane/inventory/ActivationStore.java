package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.inventory.CreateActivationRequest;
import io.deskfleet.api.inventory.DesktopTag;
import io.deskfleet.controlplane.auth.Secrets;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Agent activations (like SSM hybrid activations): a code an operator hands to agents, good for a number of
 * registrations until it expires. Registering creates the desktop in the same transaction that counts it.
 * The activation itself goes through {@link ActivationRepository}; the desktop and its tags are inserted by hand,
 * in the same transaction (Database runs on the same transaction manager), as they belong to the desktops tables
 * that {@link DesktopStore} and {@link DesktopStateWriter} read and write with hand-tuned SQL.
 */
@Singleton
public class ActivationStore {
    private final Database db;
    private final ActivationRepository activations;
    private final PoolStore pools;
    private final Clock clock;

    ActivationStore(Database db, ActivationRepository activations, PoolStore pools, Clock clock) {
        this.db = db;
        this.activations = activations;
        this.pools = pools;
        this.clock = clock;
    }

    /** A new activation, with the code the operator hands out: only its hash is stored. */
    public record NewActivation(String id, String code, String poolId, int registrationLimit, Instant expiresAt) {
    }

    /** @throws io.deskfleet.controlplane.refusal.Refused not found when the pool is not in the project */
    public NewActivation create(String projectId, CreateActivationRequest request) {
        String id = UUID.randomUUID().toString();
        String code = Secrets.newSecret();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(Duration.ofHours(request.expiresInHours()));
        if (!pools.exists(projectId, request.poolId())) {
            throw io.deskfleet.controlplane.refusal.Refusal.notFound("Desktop pool " + request.poolId()
                    + " does not exist.").asException();
        }
        activations.save(new ActivationRow(id, projectId, request.poolId(), Secrets.sha256Hex(code),
                request.description(), request.registrationLimit(), 0, expiresAt, now));
        return new NewActivation(id, code, request.poolId(), request.registrationLimit(), expiresAt);
    }

    /**
     * A registration an agent asks for; fields are already checked for presence and length.
     *
     * @param requestId the agent's id for this registration, the same on every retry of it; null if it sent none
     */
    public record Registration(String projectId, String activationId, String activationCode, String poolId,
                               String computerName, String osType, String agentVersion, List<DesktopTag> tags,
                               String requestId) {
    }

    /** What became of one registration of a batch. */
    public sealed interface Outcome permits Registered, Refused {
    }

    public record Registered(String desktopId, String credential) implements Outcome {
    }

    /** The activation does not allow it; nothing was changed for it. */
    public record Refused(Refusal refusal, String message) implements Outcome {
    }

    /** Why a registration was refused. */
    public enum Refusal {
        UNKNOWN_ACTIVATION, WRONG_CODE, WRONG_POOL, EXPIRED, USED_UP, REQUEST_ID_TAKEN
    }

    /** Ends one registration of a batch before it wrote anything. */
    private static final class RegistrationRefused extends RuntimeException {
        private final Refusal refusal;

        RegistrationRefused(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }
    }

    /** An activation as a batch uses it: the stored row and the registrations the batch has counted so far. */
    private static final class ActivationUse {
        private final ActivationRow row;
        private int added;

        ActivationUse(ActivationRow row) {
            this.row = row;
        }

        boolean usedUp() {
            return row.registrationsCount() + added >= row.registrationLimit();
        }
    }

    /**
     * Registers a batch in one transaction, in order, as if one after the other: each checks the activation and
     * creates the desktop (ACTIVE, REGISTERED, offline) with a fresh credential, of which only the SHA-256 is kept.
     * One commit for the batch is what lets a herd of desktops register quickly: a commit waits for the disk.
     * <p>
     * Each activation's count goes up once per batch by the desktops the batch created, guarded by its limit in
     * the UPDATE; should that guard fail (the activation changed meanwhile), the whole batch rolls back and throws,
     * and its agents retry. A refused registration changes nothing and does not affect the others.
     * <p>
     * A retry of a registration already stored (same activation and request id: the agent never got the answer, so
     * the desktop never connected) gets that desktop with a new credential and counts nothing again, also when the
     * first attempt is earlier in the same batch. The desktop id is derived from the two, so the retry finds it
     * without a column of its own; a desktop that has connected since is not handed out again.
     *
     * @return one outcome per registration, in the batch's order
     */
    public List<Outcome> register(List<Registration> batch) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            // By id: the counts are updated in this order, so two replicas' batches lock the same activations in
            // the same order (in a hash map's order they deadlocked on PostgreSQL under a 30,000-desktop herd).
            Map<String, ActivationUse> uses = new TreeMap<>();
            List<Outcome> outcomes = new ArrayList<>(batch.size());
            try (PreparedStatement desktop = c.prepareStatement("""
                    INSERT INTO desktops (id, project_id, pool_id, activation_id, computer_name, os_type, status,
                        login_status, credential_hash, agent_version, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?)""");
                 PreparedStatement tags = c.prepareStatement(
                         "INSERT INTO desktop_tags (desktop_id, tag_key, tag_value) VALUES (?, ?, ?)")) {
                for (Registration r : batch) {
                    try {
                        outcomes.add(registerOne(c, r, now, uses, desktop, tags));
                    } catch (RegistrationRefused e) {
                        outcomes.add(new Refused(e.refusal, e.getMessage()));
                    }
                }
                tags.executeBatch();
            }
            for (ActivationUse use : uses.values()) {
                if (use.added > 0 && activations.countRegistrations(use.row.id(), use.added) != 1) {
                    throw new IllegalStateException("activation " + use.row.id() + " changed during a registration");
                }
            }
            return outcomes;
        });
    }

    private Registered registerOne(Connection c, Registration r, Instant now, Map<String, ActivationUse> uses,
                                   PreparedStatement desktop, PreparedStatement tags) throws SQLException {
        String desktopId = r.requestId() == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((r.activationId() + "/" + r.requestId()).getBytes(StandardCharsets.UTF_8))
                        .toString();
        String credential = Secrets.newSecret();
        ActivationUse use = uses.get(r.activationId());
        if (use == null) {
            ActivationRow found = activations.findById(r.activationId())
                    .filter(a -> a.projectId().equals(r.projectId()))
                    .orElseThrow(() -> new RegistrationRefused(Refusal.UNKNOWN_ACTIVATION, "Unknown activation."));
            use = new ActivationUse(found);
            uses.put(found.id(), use);
        }
        ActivationRow a = use.row;
        if (!a.projectId().equals(r.projectId())) {
            throw new RegistrationRefused(Refusal.UNKNOWN_ACTIVATION, "Unknown activation.");
        }
        if (!Secrets.matches(r.activationCode(), a.codeHash())) {
            throw new RegistrationRefused(Refusal.WRONG_CODE, "Wrong activation code.");
        }
        if (!a.poolId().equals(r.poolId())) {
            throw new RegistrationRefused(Refusal.WRONG_POOL, "The activation is for another pool.");
        }
        if (r.requestId() != null && reissued(c, desktopId, r.activationId(), credential)) {
            return new Registered(desktopId, credential);
        }
        if (!now.isBefore(a.expiresAt())) {
            throw new RegistrationRefused(Refusal.EXPIRED, "The activation has expired.");
        }
        if (use.usedUp()) {
            throw new RegistrationRefused(Refusal.USED_UP, "The activation is used up.");
        }
        desktop.setString(1, desktopId);
        desktop.setString(2, r.projectId());
        desktop.setString(3, r.poolId());
        desktop.setString(4, r.activationId());
        desktop.setString(5, r.computerName());
        desktop.setString(6, r.osType());
        desktop.setString(7, LoginStatus.REGISTERED.name());
        desktop.setString(8, Secrets.sha256Hex(credential));
        desktop.setString(9, r.agentVersion());
        desktop.setObject(10, Database.toDb(now));
        // At once, not batched: a retry later in the batch must find it.
        desktop.executeUpdate();
        use.added++;
        for (DesktopTag tag : r.tags()) {
            tags.setString(1, desktopId);
            tags.setString(2, tag.key());
            tags.setString(3, tag.value());
            tags.addBatch();
        }
        return new Registered(desktopId, credential);
    }

    /**
     * A retried registration: the desktop stored by the first attempt gets the new credential. One indexed read for a
     * first attempt, the common case in a herd.
     *
     * @return false when there is no such desktop (a first attempt)
     * @throws RegistrationRefused when it exists but has connected or was revoked since: not handed out again
     */
    private static boolean reissued(Connection c, String desktopId, String activationId, String credential)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT activation_id, login_status, revoked FROM desktops WHERE id = ?")) {
            ps.setString(1, desktopId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if (!activationId.equals(rs.getString(1)) || !LoginStatus.REGISTERED.name().equals(rs.getString(2))
                        || rs.getBoolean(3)) {
                    throw requestIdTaken();
                }
            }
        }
        // Guarded again: the desktop may have connected or been revoked since the read.
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE desktops SET credential_hash = ?
                WHERE id = ? AND login_status = ? AND revoked = FALSE""")) {
            ps.setString(1, Secrets.sha256Hex(credential));
            ps.setString(2, desktopId);
            ps.setString(3, LoginStatus.REGISTERED.name());
            if (ps.executeUpdate() != 1) {
                throw requestIdTaken();
            }
        }
        return true;
    }

    private static RegistrationRefused requestIdTaken() {
        return new RegistrationRefused(Refusal.REQUEST_ID_TAKEN,
                "This request_id registered a desktop that has connected since; use a new one.");
    }
}
