package io.deskfleet.controlplane.db;

import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.auth.SettingsStore;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written JDBC and repositories run in one transaction: they see each other's writes and roll back together. */
@MicronautTest(transactional = false)
class OneTransactionTest extends ControlPlaneTestBase {
    @Inject
    Database db;

    @Inject
    SettingsStore settings;

    @Test
    void aRepositoryInsideATransactionSeesItsUncommittedWrites() {
        String value = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO settings (setting_name, setting_value) VALUES ('shared', 'by hand')")) {
                ps.executeUpdate();
            }
            return settings.getOrCreate("shared", () -> "by the repository");
        });
        assertEquals("by hand", value);
    }

    @Test
    void aRollbackUndoesTheRepositorysWritesToo() {
        assertThrows(IllegalStateException.class, () -> db.inTransaction(c -> {
            settings.getOrCreate("undone", () -> "v");
            throw new IllegalStateException("roll back");
        }));
        assertTrue(stored("undone").isEmpty());
    }

    private Optional<String> stored(String name) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM settings WHERE setting_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }
}
