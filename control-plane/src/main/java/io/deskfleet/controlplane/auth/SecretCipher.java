package io.deskfleet.controlplane.auth;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encrypts access-key secrets at rest (AES-256-GCM). They cannot be hashed like passwords: checking an SDK
 * signature needs the secret itself. The key is {@code deskfleet.auth.credential-key} (any string, hashed to 256
 * bits) or, without one, 32 random bytes generated once and kept in {@code settings}; then a copy of the database
 * alone reveals the secrets, so production sets the key outside the database.
 */
@Singleton
public class SecretCipher {
    static final String KEY_SETTING = "auth.credential-key";
    private static final String PREFIX = "aesgcm1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    public SecretCipher(SettingsStore settings, @Value("${deskfleet.auth.credential-key:}") String configuredKey) {
        byte[] material = configuredKey != null && !configuredKey.isEmpty()
                ? sha256(configuredKey.getBytes(StandardCharsets.UTF_8))
                : Base64.getDecoder().decode(settings.getOrCreate(KEY_SETTING,
                        () -> Base64.getEncoder().encodeToString(Secrets.randomBytes(32))));
        this.key = new SecretKeySpec(material, "AES");
    }

    /** @param context bound to the ciphertext (the access key id), so a secret cannot be moved to another row */
    public String encrypt(String secret, String context) {
        byte[] iv = Secrets.randomBytes(IV_BYTES);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, iv, context, secret.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
        System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
        return PREFIX + Base64.getEncoder().encodeToString(out);
    }

    /** @throws IllegalStateException when the stored value was encrypted under another key or changed */
    public String decrypt(String stored, String context) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("unknown secret format");
        }
        byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        byte[] plain = run(Cipher.DECRYPT_MODE, Arrays.copyOf(in, IV_BYTES), context,
                Arrays.copyOfRange(in, IV_BYTES, in.length));
        return new String(plain, StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, byte[] iv, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("access key secret cannot be decrypted with the configured credential key", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
