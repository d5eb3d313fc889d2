package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The protected pools and tags of each project, and which desktops they protect. */
@Singleton
public class ProtectedTargetStore {
    private static final int IN_CHUNK = 500;

    private final Database db;

    public ProtectedTargetStore(Database db) {
        this.db = db;
    }

    /** @return false when the project protects that object already */
    public boolean add(ProtectedTarget t) {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO protected_targets (id, project_id,"
                        + " object_type, object_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, t.id());
                    ps.setString(2, t.projectId());
                    ps.setString(3, t.objectType().name());
                    ps.setString(4, t.objectId());
                    ps.setString(5, t.createdBy());
                    ps.setObject(6, Database.toDb(t.createdAt()));
                    ps.executeUpdate();
                    return true;
                }
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    public List<ProtectedTarget> list(String projectId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, project_id, object_type, object_id,"
                    + " created_by, created_at FROM protected_targets WHERE project_id = ?"
                    + " ORDER BY created_at, id")) {
                ps.setString(1, projectId);
                List<ProtectedTarget> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new ProtectedTarget(rs.getString(1), rs.getString(2),
                                ProtectedTarget.Type.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                                Database.fromDb(rs.getObject(6, OffsetDateTime.class))));
                    }
                }
                return found;
            }
        });
    }

    /** @return false when there is no such protection in the project */
    public boolean remove(String projectId, String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM protected_targets WHERE project_id = ? AND id = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** How many of these desktops are in a protected pool or carry a protected tag. */
    public int countProtected(String projectId, Collection<String> desktopIds) {
        List<String> ids = List.copyOf(desktopIds);
        return db.query(c -> {
            int count = 0;
            for (int from = 0; from < ids.size(); from += IN_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
                List<Object> args = new ArrayList<>();
                args.add(projectId);
                args.addAll(chunk);
                args.add(projectId);
                args.add(projectId);
                try (PreparedStatement ps = Database.prepare(c, "SELECT COUNT(*) FROM desktops d"
                        + " WHERE d.project_id = ? AND d.id IN (" + Database.placeholders(chunk.size()) + ")"
                        + " AND (EXISTS (SELECT 1 FROM protected_targets p WHERE p.project_id = ?"
                        + "      AND p.object_type = 'DESKTOP_POOL' AND p.object_id = d.pool_id)"
                        + "  OR EXISTS (SELECT 1 FROM protected_targets p JOIN desktop_tags t"
                        + "      ON p.object_id = CONCAT(t.tag_key, '=', t.tag_value)"
                        + "      WHERE p.project_id = ? AND p.object_type = 'DESKTOP_TAG' AND t.desktop_id = d.id))",
                        args);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count += rs.getInt(1);
                }
            }
            return count;
        });
    }

    public boolean poolExists(String projectId, String poolId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM desktop_pools WHERE project_id = ? AND id = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, poolId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Whether the project protects anything at all: the cheap check before the per-desktop one. */
    public boolean protectsAnything(String projectId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM protected_targets WHERE project_id = ? LIMIT 1")) {
                ps.setString(1, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
