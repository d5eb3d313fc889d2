package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Subset;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which desktops a pool, a tag or a list of ids means, for executions and for scheduled tasks alike. Revoked
 * desktops are never targets. Hand-written JDBC: one indexed query per target (a chunked IN list for ids), read on
 * every execution start and every fire, where a repository's per-row mapping and extra queries would cost.
 */
@Singleton
public class TargetResolver {
    /** Ids per IN list: within what every database accepts. */
    private static final int IN_CHUNK = 1_000;

    private final Database db;

    public TargetResolver(Database db) {
        this.db = db;
    }

    /**
     * The desktops an execution request names, by id in id order, refused when the request names what is not
     * there: a missing pool, pool desktop_ids outside the pool, resource_ids that are no desktop of the project.
     */
    public Map<String, TargetDesktop> require(String projectId, ExecutionTarget target) {
        List<TargetDesktop> found = resolve(projectId, target);
        // Only a pool without desktops needs the second query that tells an empty pool from a missing one.
        if (found.isEmpty() && target instanceof ExecutionTarget.Pool pool && !poolExists(projectId, pool.poolId())) {
            throw Refusal.notFound("Desktop pool " + pool.poolId() + " does not exist.").asException();
        }
        Map<String, TargetDesktop> byId = new LinkedHashMap<>();
        found.forEach(d -> byId.put(d.id(), d));
        if (target instanceof ExecutionTarget.Pool pool && !pool.desktopIds().isEmpty()) {
            Subset.require("desktop_ids", pool.desktopIds(), byId.keySet(), "not in the pool");
            byId.keySet().retainAll(Set.copyOf(pool.desktopIds()));
        } else if (target instanceof ExecutionTarget.Desktops desktops) {
            Subset.require("resource_ids", desktops.desktopIds(), byId.keySet(), "no such desktop");
        }
        return byId;
    }

    /** The target's desktops in the project, ordered by id (the order the gray batch is taken in). */
    public List<TargetDesktop> resolve(String projectId, ExecutionTarget target) {
        return db.query(c -> {
            if (target instanceof ExecutionTarget.Pool pool) {
                return desktops(c, "d.pool_id = ?", List.of(pool.poolId()), projectId);
            }
            if (target instanceof ExecutionTarget.Desktops list) {
                return desktopsById(c, projectId, list.desktopIds());
            }
            ExecutionTarget.Tag tag = (ExecutionTarget.Tag) target;
            return desktops(c, "EXISTS (SELECT 1 FROM desktop_tags t WHERE t.desktop_id = d.id"
                    + " AND t.tag_key = ? AND t.tag_value = ?)", List.of(tag.key(), tag.value()), projectId);
        });
    }

    /** Every (unrevoked) desktop of the project, ordered by id: what a scheduled task's ALL_DESKTOPS targets. */
    public List<TargetDesktop> allDesktops(String projectId) {
        return db.query(c -> desktops(c, "TRUE", List.of(), projectId));
    }

    private boolean poolExists(String projectId, String poolId) {
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

    private static List<TargetDesktop> desktops(Connection c, String condition, List<String> args, String projectId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.computer_name, d.status, d.agent_online"
                + " FROM desktops d WHERE d.project_id = ? AND d.revoked = FALSE AND " + condition + " ORDER BY d.id")) {
            ps.setString(1, projectId);
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 2, args.get(i));
            }
            List<TargetDesktop> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new TargetDesktop(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return found;
        }
    }

    private static List<TargetDesktop> desktopsById(Connection c, String projectId, List<String> ids)
            throws SQLException {
        List<TargetDesktop> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            found.addAll(desktops(c, "d.id IN (" + Database.placeholders(chunk.size()) + ")", chunk, projectId));
        }
        found.sort(Comparator.comparing(TargetDesktop::id));
        return found;
    }
}
