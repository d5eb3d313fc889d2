package io.deskfleet.controlplane.auth;

import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * AK/SK pairs for SDK request signing, over {@link AccessKeyRepository}: generates both, keeps the secret encrypted
 * by {@link SecretCipher}, and decrypts it only for checking a signature.
 */
@Singleton
public class AccessKeyStore {
    /** Huawei's shapes: 20 upper-case letters and digits for the AK, 40 letters and digits for the SK. */
    private static final String AK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SK_ALPHABET = AK_ALPHABET + "abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccessKeyRepository repository;
    private final SecretCipher cipher;
    private final Clock clock;

    AccessKeyStore(AccessKeyRepository repository, SecretCipher cipher, Clock clock) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
    }

    public record Key(String accessKey, String userId, String description, String status, Instant createdAt) {
    }

    public record Created(Key key, String secret) {
    }

    public Created create(String userId, String description) {
        Key key = new Key(random(AK_ALPHABET, 20), userId, description == null ? "" : description, "active",
                clock.instant());
        String secret = random(SK_ALPHABET, 40);
        repository.save(new AccessKeyRow(key.accessKey(), userId, cipher.encrypt(secret, key.accessKey()),
                key.description(), key.status(), key.createdAt()));
        return new Created(key, secret);
    }

    public Optional<Key> find(String accessKey) {
        return repository.findById(accessKey).map(AccessKeyStore::key);
    }

    /** The key and its decrypted secret, for checking a signature. */
    public Optional<Created> findWithSecret(String accessKey) {
        return repository.findById(accessKey)
                .map(row -> new Created(key(row), cipher.decrypt(row.secretEncrypted(), row.accessKey())));
    }

    public List<Key> ofUser(String userId) {
        return repository.findByUserIdOrderByCreatedAt(userId).stream().map(AccessKeyStore::key).toList();
    }

    public boolean delete(String accessKey) {
        return repository.deleteByAccessKey(accessKey) > 0;
    }

    private static Key key(AccessKeyRow row) {
        return new Key(row.accessKey(), row.userId(), row.description(), row.status(), row.createdAt());
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
