package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.api.inventory.CreatePoolRequest;
import io.deskfleet.api.inventory.DesktopPool;
import io.deskfleet.api.inventory.DesktopPoolList;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.DatabaseException;
import io.deskfleet.controlplane.db.Times;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code desktop_pools} table, with desktop counts computed in the same query. */
@Singleton
public class PoolStore {
    /** Pools are always steady: Deskfleet does not provision desktops, agents bring their own. */
    static final String STATUS = "STEADY";
    private static final String SELECT = """
            SELECT p.id, p.name, p.description, p.type, p.created_at,
                   (SELECT COUNT(*) FROM desktops d WHERE d.project_id = p.project_id AND d.pool_id = p.id
                                                      AND d.revoked = FALSE),
                   (SELECT COUNT(*) FROM desktops d WHERE d.project_id = p.project_id AND d.pool_id = p.id
                                                      AND d.agent_online = TRUE)
            FROM desktop_pools p
            """;

    private final Database db;

    public PoolStore(Database db) {
        this.db = db;
    }

    /** @throws ApiException 409 when the project already has a pool of that name */
    public DesktopPool create(String projectId, CreatePoolRequest request) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        try {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO desktop_pools (id, project_id, name, description, type, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")) {
                    ps.setString(1, id);
                    ps.setString(2, projectId);
                    ps.setString(3, request.name());
                    ps.setString(4, request.description());
                    ps.setString(5, request.type());
                    ps.setObject(6, Database.toDb(now));
                    return ps.executeUpdate();
                }
            });
        } catch (DatabaseException e) {
            if (Database.isUniqueViolation(e.sqlException())) {
                throw new ApiException(ErrorCode.CONFLICT, "A desktop pool named '" + request.name()
                        + "' already exists in this project.");
            }
            throw e;
        }
        return new DesktopPool(id, request.name(), request.description(), request.type(), STATUS, 0, 0,
                Times.iso(now));
    }

    public DesktopPoolList list(String projectId, Page page) {
        return db.query(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM desktop_pools WHERE project_id = ?")) {
                ps.setString(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<DesktopPool> pools = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    SELECT + " WHERE p.project_id = ? ORDER BY p.created_at, p.id LIMIT ? OFFSET ?")) {
                ps.setString(1, projectId);
                ps.setInt(2, page.limit());
                ps.setInt(3, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pools.add(map(rs));
                    }
                }
            }
            return new DesktopPoolList(total, pools);
        });
    }

    public Optional<DesktopPool> find(String projectId, String poolId) {
        return db.query(c -> find(c, projectId, poolId));
    }

    /** @throws ApiException 404 when the project has no such pool */
    public DesktopPool get(String projectId, String poolId) {
        return find(projectId, poolId).orElseThrow(() -> ApiException.notFound("Desktop pool " + poolId
                + " does not exist."));
    }

    static Optional<DesktopPool> find(Connection c, String projectId, String poolId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE p.project_id = ? AND p.id = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, poolId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static DesktopPool map(ResultSet rs) throws SQLException {
        return new DesktopPool(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), STATUS,
                rs.getInt(6), rs.getInt(7), Times.iso(Database.fromDb(rs.getObject(5, OffsetDateTime.class))));
    }
}
