package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.db.Database;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Replicas: this replica's copy of which live replica holds each desktop's stream, for sending without a query per
 * command. Kept fresh by the bus's session hints, and reloaded whole every {@link #RELOAD_SECONDS} s from
 * {@code agent_sessions} joined with the replicas that beat within the lease, so a dead replica's desktops count as
 * offline until they reconnect elsewhere.
 */
@Singleton
@Requires(property = "deskfleet.replica.id")
public class SessionDirectory {
    static final long RELOAD_SECONDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(SessionDirectory.class);

    private final Database db;
    private volatile Map<String, String> holders = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = ClusterThreads.timer("session-directory");

    public SessionDirectory(Database db) {
        this.db = db;
        timer.scheduleWithFixedDelay(this::reload, 0, RELOAD_SECONDS, TimeUnit.SECONDS);
    }

    /** The replica holding the desktop's stream, or null when none that is alive does. */
    public String holder(String desktopId) {
        return holders.get(desktopId);
    }

    void held(String desktopId, String replicaId) {
        holders.put(desktopId, replicaId);
    }

    void gone(String desktopId) {
        holders.remove(desktopId);
    }

    void reload() {
        try {
            Map<String, String> fresh = db.query(c -> {
                Map<String, String> rows = new ConcurrentHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT s.desktop_id, s.replica_id FROM agent_sessions s"
                        + " JOIN replicas r ON r.replica_id = s.replica_id"
                        + " WHERE r.heartbeat_at > clock_timestamp() - interval '"
                        + LeasedOwnership.LEASE.toSeconds() + " seconds'");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getString(2));
                    }
                }
                return rows;
            });
            holders = fresh;
        } catch (RuntimeException e) {
            LOG.error("session directory reload failed", e);
        }
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
