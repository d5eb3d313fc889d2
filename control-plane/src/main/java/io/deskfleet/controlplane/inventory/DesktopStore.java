package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.inventory.Desktop;
import io.deskfleet.api.inventory.DesktopTag;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads of the {@code desktops} table. A page costs three queries whatever its size: the count, the page, and the
 * tags of the page's desktops.
 */
@Singleton
public class DesktopStore {
    private static final String COLUMNS = """
            d.id, d.computer_name, d.pool_id, d.os_type, d.status, d.login_status, d.agent_online,
            d.agent_version, d.boot_id, d.last_heartbeat_at, d.created_at""";

    private final Database db;
    private final DesktopStateWriter state;

    public DesktopStore(Database db, DesktopStateWriter state) {
        this.db = db;
        this.state = state;
    }

    public record DesktopPage(long totalCount, List<Desktop> desktops) {
    }

    /** The stored credential of a desktop, for authenticating its agent's stream. */
    public record DesktopCredential(String desktopId, String projectId, String credentialHash, boolean revoked) {
    }

    public DesktopPage find(DesktopQuery query, Page page) {
        StringBuilder where = new StringBuilder(" WHERE d.project_id = ? AND d.revoked = FALSE");
        List<Object> args = new ArrayList<>();
        args.add(query.projectId());
        if (query.status() != null) {
            where.append(" AND d.status = ?");
            args.add(query.status().name());
        }
        if (query.poolId() != null) {
            where.append(" AND d.pool_id = ?");
            args.add(query.poolId());
        }
        if (query.desktopId() != null) {
            where.append(" AND d.id = ?");
            args.add(query.desktopId());
        }
        if (query.tag() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM desktop_tags t WHERE t.desktop_id = d.id"
                    + " AND t.tag_key = ? AND t.tag_value = ?)");
            args.add(query.tag().key());
            args.add(query.tag().value());
        }
        return db.query(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM desktops d" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM desktops d" + where
                    + " ORDER BY d.created_at, d.id LIMIT ? OFFSET ?")) {
                int next = bind(ps, args);
                ps.setInt(next, page.limit());
                ps.setInt(next + 1, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            return new DesktopPage(total, withTags(c, rows));
        });
    }

    public Optional<Desktop> find(String projectId, String desktopId) {
        return find(new DesktopQuery(projectId, null, null, null, desktopId), new Page(0, 1))
                .desktops().stream().findFirst();
    }

    /**
     * Revokes a desktop: its credential stops working and it leaves every listing and target; its history
     * (execution records) stays.
     *
     * @return false when the project has no such (unrevoked) desktop
     */
    public boolean revoke(String projectId, String desktopId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE desktops SET revoked = TRUE, agent_online = FALSE,"
                    + " login_status = 'DISCONNECTED' WHERE project_id = ? AND id = ? AND revoked = FALSE")) {
                ps.setString(1, projectId);
                ps.setString(2, desktopId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The ids among {@code desktopIds} that exist in the project. */
    public Set<String> existing(String projectId, Collection<String> desktopIds) {
        if (desktopIds.isEmpty()) {
            return Set.of();
        }
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM desktops WHERE project_id = ?"
                    + " AND revoked = FALSE AND id IN ("
                    + Database.placeholders(desktopIds.size()) + ")")) {
                ps.setString(1, projectId);
                int i = 2;
                for (String id : desktopIds) {
                    ps.setString(i++, id);
                }
                Set<String> found = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return found;
            }
        });
    }

    /** The credentials of those of these desktops that exist, by desktop id: one query for a batch of Hellos. */
    public Map<String, DesktopCredential> credentials(Collection<String> desktopIds) {
        return db.query(c -> {
            Map<String, DesktopCredential> found = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, project_id, credential_hash, revoked FROM desktops WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("varchar", desktopIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), new DesktopCredential(rs.getString(1), rs.getString(2),
                                rs.getString(3), rs.getBoolean(4)));
                    }
                }
            }
            return found;
        });
    }

    private static final String MARK_OFFLINE = "UPDATE desktops SET agent_online = FALSE,"
            + " login_status = CASE WHEN login_status = 'CONNECTED' THEN 'DISCONNECTED' ELSE login_status END"
            + " WHERE (agent_online = TRUE OR login_status = 'CONNECTED')";

    /** No stream survives a restart: every desktop starts offline. */
    public int markAllOffline() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(MARK_OFFLINE)) {
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Replicas: a replica starting holds no stream yet, but its peers do: every desktop is marked offline except
     * those whose stream another replica that beat within {@code alive} holds (cluster.SessionRegistry).
     */
    public int markOfflineUnlessHeldElsewhere(String replicaId, java.time.Duration alive) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(MARK_OFFLINE + " AND NOT EXISTS (SELECT 1 FROM agent_sessions s"
                    + " JOIN replicas r ON r.replica_id = s.replica_id WHERE s.desktop_id = desktops.id"
                    + " AND s.replica_id <> ? AND r.heartbeat_at > clock_timestamp() - interval '"
                    + alive.toSeconds() + " seconds')")) {
                ps.setString(1, replicaId);
                return ps.executeUpdate();
            }
        });
    }

    private record Row(String id, String computerName, String poolId, String osType, String status,
                       String loginStatus, boolean online, String agentVersion, String bootId,
                       OffsetDateTime lastHeartbeat, OffsetDateTime created) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7), rs.getString(8), rs.getString(9),
                rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class));
    }

    private List<Desktop> withTags(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<DesktopTag>> tags = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT desktop_id, tag_key, tag_value FROM desktop_tags"
                + " WHERE desktop_id IN (" + Database.placeholders(rows.size()) + ") ORDER BY desktop_id, tag_key")) {
            int i = 1;
            for (Row r : rows) {
                ps.setString(i++, r.id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new DesktopTag(rs.getString(2), rs.getString(3)));
                }
            }
        }
        List<Desktop> desktops = new ArrayList<>(rows.size());
        for (Row r : rows) {
            desktops.add(new Desktop(r.id(), r.computerName(), r.poolId(), r.osType(), r.status(), r.loginStatus(),
                    tags.getOrDefault(r.id(), List.of()), r.online(), r.agentVersion(), r.bootId(),
                    Times.iso(lastHeartbeat(r)), Times.iso(Database.fromDb(r.created()))));
        }
        return desktops;
    }

    private Instant lastHeartbeat(Row r) {
        Instant stored = Database.fromDb(r.lastHeartbeat());
        Instant live = state.liveHeartbeat(r.id());
        return live != null && (stored == null || live.isAfter(stored)) ? live : stored;
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            ps.setObject(i++, arg);
        }
        return i;
    }

}
