package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code access_keys} table: AK/SK pairs for SDK request signing, the secret encrypted by {@link SecretCipher}. */
@Singleton
public class AccessKeyStore {
    /** Huawei's shapes: 20 upper-case letters and digits for the AK, 40 letters and digits for the SK. */
    private static final String AK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SK_ALPHABET = AK_ALPHABET + "abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final SecretCipher cipher;

    public AccessKeyStore(Database db, SecretCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public record Key(String accessKey, String userId, String description, String status, Instant createdAt) {
    }

    public record Created(Key key, String secret) {
    }

    public Created create(String userId, String description) {
        Key key = new Key(random(AK_ALPHABET, 20), userId, description == null ? "" : description, "active",
                Instant.now());
        String secret = random(SK_ALPHABET, 40);
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO access_keys (access_key, user_id, secret_encrypted, description, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, key.accessKey());
                ps.setString(2, userId);
                ps.setString(3, cipher.encrypt(secret, key.accessKey()));
                ps.setString(4, key.description());
                ps.setString(5, key.status());
                ps.setObject(6, Database.toDb(key.createdAt()));
                return ps.executeUpdate();
            }
        });
        return new Created(key, secret);
    }

    public Optional<Key> find(String accessKey) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT access_key, user_id, description, status, created_at FROM access_keys WHERE access_key = ?")) {
                ps.setString(1, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<Key>empty();
                }
            }
        });
    }

    /** The key and its decrypted secret, for checking a signature. */
    public Optional<Created> findWithSecret(String accessKey) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT access_key, user_id, description, status, created_at, secret_encrypted
                    FROM access_keys WHERE access_key = ?""")) {
                ps.setString(1, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Created>empty();
                    }
                    Key key = read(rs);
                    return Optional.of(new Created(key, cipher.decrypt(rs.getString(6), key.accessKey())));
                }
            }
        });
    }

    public List<Key> ofUser(String userId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT access_key, user_id, description, status, created_at FROM access_keys
                    WHERE user_id = ? ORDER BY created_at""")) {
                ps.setString(1, userId);
                List<Key> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(read(rs));
                    }
                }
                return keys;
            }
        });
    }

    public boolean delete(String accessKey) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM access_keys WHERE access_key = ?")) {
                ps.setString(1, accessKey);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Key read(ResultSet rs) throws SQLException {
        return new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Database.fromDb(rs.getObject(5, OffsetDateTime.class)));
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
