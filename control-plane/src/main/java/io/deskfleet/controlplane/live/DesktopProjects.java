package io.deskfleet.controlplane.live;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The project of each desktop, for routing presence events. A desktop never changes project, so answers are kept:
 * at most one entry per desktop, read in one query per batch of unknown ids. Used from one thread only.
 */
@Singleton
class DesktopProjects {
    private static final int CHUNK = 500;

    private final Database db;
    private final Map<String, String> known = new HashMap<>();

    DesktopProjects(Database db) {
        this.db = db;
    }

    /** Desktop id to project id, for the desktops that exist. */
    Map<String, String> of(Collection<String> desktopIds) {
        List<String> unknown = desktopIds.stream().filter(id -> !known.containsKey(id)).toList();
        for (int from = 0; from < unknown.size(); from += CHUNK) {
            List<String> chunk = unknown.subList(from, Math.min(unknown.size(), from + CHUNK));
            db.query(c -> {
                try (PreparedStatement ps = Database.prepare(c, "SELECT id, project_id FROM desktops WHERE id IN ("
                        + Database.placeholders(chunk.size()) + ")", new ArrayList<>(chunk));
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        known.put(rs.getString(1), rs.getString(2));
                    }
                }
                return null;
            });
        }
        Map<String, String> projects = new HashMap<>();
        for (String id : desktopIds) {
            String project = known.get(id);
            if (project != null) {
                projects.put(id, project);
            }
        }
        return projects;
    }
}
