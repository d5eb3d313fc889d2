package io.deskfleet.controlplane.audit;

import io.deskfleet.api.common.Page;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit trail's table: events are appended, listed, and purged past the retention; never updated. */
@Singleton
public class AuditStore {
    private final Database db;

    public AuditStore(Database db) {
        this.db = db;
    }

    /** A stored event with its id (increasing in the order events were appended). */
    public record Stored(long id, AuditEvent event) {
    }

    public record Listed(long totalCount, List<Stored> events) {
    }

    /** Appends one event with its targets in one transaction; returns its id. */
    public long append(AuditEvent e) {
        return db.inTransaction(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO audit_events (project_id, occurred_at, actor_type, user_id, user_name, access_key,
                        role, scheduled_task_id, client_address, operation, request_summary, outcome, status_code,
                        error_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[]{"id"})) {
                ps.setString(1, cut(e.projectId(), 64));
                ps.setObject(2, Database.toDb(e.occurredAt()));
                ps.setString(3, e.actor().type().name());
                ps.setString(4, cut(e.actor().userId(), 64));
                ps.setString(5, cut(e.actor().userName(), 255));
                ps.setString(6, cut(e.actor().accessKey(), 64));
                ps.setString(7, cut(e.actor().role(), 16));
                ps.setString(8, cut(e.actor().scheduledTaskId(), 64));
                ps.setString(9, cut(e.clientAddress(), 64));
                ps.setString(10, cut(e.operation(), 255));
                ps.setString(11, cut(e.requestSummary(), RequestSummary.MAX_CHARS));
                ps.setString(12, e.outcome().name());
                if (e.statusCode() == null) {
                    ps.setNull(13, Types.INTEGER);
                } else {
                    ps.setInt(13, e.statusCode());
                }
                ps.setString(14, cut(e.errorCode(), 64));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            if (!e.targetIds().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO audit_event_targets (event_id, target_id) VALUES (?, ?)")) {
                    for (String target : e.targetIds()) {
                        ps.setLong(1, id);
                        ps.setString(2, cut(target, 255));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return id;
        });
    }

    /** The project's events matching the query, newest first. */
    public Listed list(AuditQuery q, Page page) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE e.project_id = ?");
        args.add(q.projectId());
        if (q.from() != null) {
            where.append(" AND e.occurred_at >= ?");
            args.add(Database.toDb(q.from()));
        }
        if (q.to() != null) {
            where.append(" AND e.occurred_at < ?");
            args.add(Database.toDb(q.to()));
        }
        if (q.userName() != null) {
            where.append(" AND e.user_name = ?");
            args.add(q.userName());
        }
        if (q.operation() != null) {
            where.append(" AND e.operation = ?");
            args.add(q.operation());
        }
        if (q.targetId() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM audit_event_targets t WHERE t.event_id = e.id"
                    + " AND t.target_id = ?)");
            args.add(q.targetId());
        }
        if (q.outcome() != null) {
            where.append(" AND e.outcome = ?");
            args.add(q.outcome().name());
        }
        return db.query(c -> {
            long total = Database.count(c, "SELECT COUNT(*) FROM audit_events e" + where, args);
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(page.limit());
            pageArgs.add(page.offset());
            Map<Long, Stored> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT e.id, e.project_id, e.occurred_at, e.actor_type,"
                    + " e.user_id, e.user_name, e.access_key, e.role, e.scheduled_task_id, e.client_address,"
                    + " e.operation, e.request_summary, e.outcome, e.status_code, e.error_code"
                    + " FROM audit_events e" + where + " ORDER BY e.id DESC LIMIT ? OFFSET ?", pageArgs);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Stored(rs.getLong(1), row(rs, List.of())));
                }
            }
            return new Listed(total, withTargets(c, rows));
        });
    }

    /**
     * The user whose latest successful change named this target, for example who last created or updated a
     * scheduled task: the four-eyes rule keeps that user from approving its fires.
     */
    public Optional<String> lastUserWhoChanged(String projectId, String targetId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.user_id FROM audit_events e"
                    + " JOIN audit_event_targets t ON t.event_id = e.id"
                    + " WHERE t.target_id = ? AND e.project_id = ? AND e.user_id IS NOT NULL"
                    + " AND e.outcome = 'SUCCESS' AND e.status_code IS NOT NULL ORDER BY e.id DESC LIMIT 1")) {
                ps.setString(1, targetId);
                ps.setString(2, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Deletes the events that occurred before {@code cutoff}; the retention purge. */
    public int purgeBefore(Instant cutoff) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_events WHERE occurred_at < ?")) {
                ps.setObject(1, Database.toDb(cutoff));
                return ps.executeUpdate();
            }
        });
    }

    private static AuditEvent row(ResultSet rs, List<String> targets) throws SQLException {
        Actor actor = new Actor(Actor.Type.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9));
        int status = rs.getInt(14);
        Integer statusCode = rs.wasNull() ? null : status;
        return new AuditEvent(rs.getString(2), Database.fromDb(rs.getObject(3, OffsetDateTime.class)), actor,
                rs.getString(10), rs.getString(11), targets, rs.getString(12),
                AuditEvent.Outcome.valueOf(rs.getString(13)), statusCode, rs.getString(15));
    }

    private static List<Stored> withTargets(Connection c, Map<Long, Stored> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> targets = new LinkedHashMap<>();
        try (PreparedStatement ps = Database.prepare(c, "SELECT event_id, target_id FROM audit_event_targets"
                + " WHERE event_id IN (" + Database.placeholders(rows.size()) + ") ORDER BY event_id, target_id",
                List.copyOf(rows.keySet()));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                targets.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        List<Stored> out = new ArrayList<>(rows.size());
        rows.forEach((id, s) -> {
            AuditEvent e = s.event();
            out.add(new Stored(id, new AuditEvent(e.projectId(), e.occurredAt(), e.actor(), e.clientAddress(),
                    e.operation(), targets.getOrDefault(id, List.of()), e.requestSummary(), e.outcome(),
                    e.statusCode(), e.errorCode())));
        });
        return out;
    }

    /**
     * The text as its column takes it: at most {@code max} characters, and no NUL (PostgreSQL refuses it in text).
     * Anything a request carried may reach the trail (a project id in a failed login's scope, say); the event is
     * stored cut rather than lost.
     */
    static String cut(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
