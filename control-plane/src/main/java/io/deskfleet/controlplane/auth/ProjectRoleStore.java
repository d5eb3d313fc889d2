package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code project_roles} table: which users may act in which project, and how. */
@Singleton
public class ProjectRoleStore {
    private final Database db;

    public ProjectRoleStore(Database db) {
        this.db = db;
    }

    public record Member(String userId, String userName, Caller.Role role) {
    }

    public Optional<Caller.Role> roleOf(String userId, String projectId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT role FROM project_roles WHERE user_id = ? AND project_id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, projectId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Caller.Role.valueOf(rs.getString(1))) : Optional.<Caller.Role>empty();
                }
            }
        });
    }

    /** The projects the user has a role in. */
    public List<String> projectsOf(String userId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT project_id FROM project_roles WHERE user_id = ?")) {
                ps.setString(1, userId);
                List<String> projects = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        projects.add(rs.getString(1));
                    }
                }
                return projects;
            }
        });
    }

    public List<Member> members(String projectId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT u.id, u.name, r.role FROM project_roles r JOIN users u ON u.id = r.user_id
                    WHERE r.project_id = ? ORDER BY u.name""")) {
                ps.setString(1, projectId);
                List<Member> members = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.add(new Member(rs.getString(1), rs.getString(2), Caller.Role.valueOf(rs.getString(3))));
                    }
                }
                return members;
            }
        });
    }

    public void assign(String userId, String projectId, Caller.Role role) {
        db.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM project_roles WHERE user_id = ? AND project_id = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO project_roles (user_id, project_id, role) VALUES (?, ?, ?)")) {
                delete.setString(1, userId);
                delete.setString(2, projectId);
                delete.executeUpdate();
                insert.setString(1, userId);
                insert.setString(2, projectId);
                insert.setString(3, role.name());
                return insert.executeUpdate();
            }
        });
    }

    /** @return false when the user had no role in the project */
    public boolean remove(String userId, String projectId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM project_roles WHERE user_id = ? AND project_id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, projectId);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
