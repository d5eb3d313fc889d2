package io.deskfleet.controlplane.script;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.script.ScriptDefinition;
import io.deskfleet.api.script.ScriptDetail;
import io.deskfleet.api.script.ScriptListResponse;
import io.deskfleet.api.script.ScriptSummary;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The {@code scripts} table. */
@Singleton
public class ScriptStore {
    private static final String COLUMNS = "id, name, description, script_type, script_version, created_at, updated_at";

    private final Database db;

    public ScriptStore(Database db) {
        this.db = db;
    }

    public String create(String projectId, ScriptDefinition script) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = Database.toDb(Instant.now());
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO scripts (id, project_id, name, script_type, content, description, script_version,
                                         created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, projectId);
                ps.setString(3, script.name());
                ps.setString(4, script.type().name());
                ps.setString(5, script.content());
                ps.setString(6, script.description());
                ps.setString(7, script.version());
                ps.setObject(8, now);
                ps.setObject(9, now);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    /** @throws ApiException 404 when the project has no such script */
    public ScriptDetail get(String projectId, String scriptId) {
        return find(projectId, scriptId).orElseThrow(() -> notFound(scriptId));
    }

    public Optional<ScriptDetail> find(String projectId, String scriptId) {
        return findAll(projectId, List.of(scriptId)).values().stream().findFirst();
    }

    /** The scripts with these ids in the project, keyed by id, in one query; ids the project lacks are absent. */
    public Map<String, ScriptDetail> findAll(String projectId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>(List.of(projectId));
        args.addAll(ids);
        return db.query(c -> {
            Map<String, ScriptDetail> found = new LinkedHashMap<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + COLUMNS + ", content FROM scripts"
                    + " WHERE project_id = ? AND id IN (" + Database.placeholders(ids.size()) + ")", args);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ScriptSummary s = summary(rs);
                    found.put(s.id(), new ScriptDetail(s.id(), s.name(), s.description(), s.type(), s.version(),
                            s.createTime(), s.updateTime(), rs.getString("content")));
                }
            }
            return found;
        });
    }

    /** @throws ApiException 404 when the project has no such script */
    public void update(String projectId, String scriptId, ScriptDefinition script) {
        int updated = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE scripts SET name = ?, content = ?, description = ?, script_version = ?, updated_at = ?
                    WHERE project_id = ? AND id = ?""")) {
                ps.setString(1, script.name());
                ps.setString(2, script.content());
                ps.setString(3, script.description());
                ps.setString(4, script.version());
                ps.setObject(5, Database.toDb(Instant.now()));
                ps.setString(6, projectId);
                ps.setString(7, scriptId);
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            throw notFound(scriptId);
        }
    }

    /** @throws ApiException 404 when the project has no such script */
    public void delete(String projectId, String scriptId) {
        int deleted = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scripts WHERE project_id = ? AND id = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, scriptId);
                return ps.executeUpdate();
            }
        });
        if (deleted == 0) {
            throw notFound(scriptId);
        }
    }

    public ScriptListResponse list(String projectId, Page page, String id, String name, ScriptType type) {
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (id != null) {
            where.append(" AND id = ?");
            args.add(id);
        }
        if (name != null) {
            // a substring match, as users search by part of a name
            where.append(" AND LOWER(name) LIKE ? ESCAPE '\\'");
            args.add(Database.containing(name.toLowerCase()));
        }
        if (type != null) {
            where.append(" AND script_type = ?");
            args.add(type.name());
        }
        return db.query(c -> {
            long count;
            try (PreparedStatement ps = Database.prepare(c, "SELECT COUNT(*) FROM scripts" + where, args)) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(page.limit());
            pageArgs.add(page.offset());
            List<ScriptSummary> scripts = new ArrayList<>();
            try (PreparedStatement ps = Database.prepare(c, "SELECT " + COLUMNS + " FROM scripts" + where
                    + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", pageArgs)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scripts.add(summary(rs));
                    }
                }
            }
            return new ScriptListResponse(count, scripts);
        });
    }

    private static ScriptSummary summary(ResultSet rs) throws SQLException {
        return new ScriptSummary(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                ScriptType.valueOf(rs.getString("script_type")), rs.getString("script_version"),
                Times.iso(Database.fromDb(rs.getObject("created_at", OffsetDateTime.class))),
                Times.iso(Database.fromDb(rs.getObject("updated_at", OffsetDateTime.class))));
    }

    private static ApiException notFound(String scriptId) {
        return ApiException.notFound("Script " + scriptId + " does not exist.");
    }
}
