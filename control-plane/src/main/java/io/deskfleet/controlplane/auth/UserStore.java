package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code users} table. The administrator ({@code role = 'ADMIN'}) may act in every project; every other user
 * ({@code 'USER'}) only in the projects {@link ProjectRoleStore} gives them a role in.
 */
@Singleton
public class UserStore {
    private static final String ADMINISTRATOR = "ADMIN";
    private static final String USER = "USER";

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public record User(String id, String name, String passwordHash, boolean administrator) {
    }

    public Optional<User> findByName(String name) {
        return find("name", name);
    }

    public Optional<User> findById(String id) {
        return find("id", id);
    }

    private Optional<User> find(String column, String value) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, password_hash, role FROM users WHERE " + column + " = ?")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    static User read(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getString(3), ADMINISTRATOR.equals(rs.getString(4)));
    }

    public User create(String name, String passwordHash, boolean administrator) {
        User user = new User(UUID.randomUUID().toString(), name, passwordHash, administrator);
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (id, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, user.id());
                ps.setString(2, name);
                ps.setString(3, passwordHash);
                ps.setString(4, administrator ? ADMINISTRATOR : USER);
                ps.setObject(5, Database.toDb(Instant.now()));
                return ps.executeUpdate();
            }
        });
        return user;
    }

    public void updatePassword(String id, String passwordHash) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    public void makeAdministrator(String id, String passwordHash) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET password_hash = ?, role = ? WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setString(2, ADMINISTRATOR);
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }
}
