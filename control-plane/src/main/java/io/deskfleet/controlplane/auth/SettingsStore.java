package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/** The {@code settings} table: values the control plane generates once and keeps across restarts. */
@Singleton
public class SettingsStore {
    private final Database db;

    public SettingsStore(Database db) {
        this.db = db;
    }

    /**
     * The stored value, or {@code generator}'s value stored now. When two instances start at once, the first insert
     * wins and both read it back.
     */
    public String getOrCreate(String name, Supplier<String> generator) {
        String existing = db.query(c -> read(c.prepareStatement("SELECT setting_value FROM settings WHERE setting_name = ?"), name));
        if (existing != null) {
            return existing;
        }
        return db.query(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO settings (setting_name, setting_value) VALUES (?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, generator.get());
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return read(c.prepareStatement("SELECT setting_value FROM settings WHERE setting_name = ?"), name);
        });
    }

    private static String read(PreparedStatement ps, String name) throws SQLException {
        try (ps) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
