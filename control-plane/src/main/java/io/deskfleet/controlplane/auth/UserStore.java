package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The {@code users} table. */
@Singleton
public class UserStore {
    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public record User(String id, String name, String passwordHash, Caller.Role role) {
    }

    public Optional<User> findByName(String name) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, password_hash, role FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new User(rs.getString(1), rs.getString(2), rs.getString(3),
                            Caller.Role.valueOf(rs.getString(4))));
                }
            }
        });
    }

    public User create(String name, String passwordHash, Caller.Role role) {
        User user = new User(UUID.randomUUID().toString(), name, passwordHash, role);
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (id, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, user.id());
                ps.setString(2, name);
                ps.setString(3, passwordHash);
                ps.setString(4, role.name());
                ps.setObject(5, Database.toDb(Instant.now()));
                return ps.executeUpdate();
            }
        });
        return user;
    }

    public void updatePasswordAndRole(String id, String passwordHash, Caller.Role role) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET password_hash = ?, role = ? WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setString(2, role.name());
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }
}
