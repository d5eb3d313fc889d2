package io.deskfleet.controlplane.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compact signed tokens: {@code keyId "." base64url(json claims) "." base64url(HMAC-SHA256(key, keyId "." claims))}.
 * Stateless, so any number of tokens can be checked without a database round trip. New tokens are signed with the
 * current key; tokens signed with a previous key keep verifying until they expire or that key is dropped, so a key
 * can be rotated without logging everybody out. The key id names the key, so verification tries one key, not all.
 */
public final class TokenCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    public TokenCodec(byte[] currentKey) {
        this(currentKey, List.of());
    }

    public TokenCodec(byte[] currentKey, List<byte[]> previousKeys) {
        this.currentId = keyId(currentKey);
        keys.put(currentId, new SecretKeySpec(currentKey.clone(), "HmacSHA256"));
        for (byte[] previous : previousKeys) {
            keys.putIfAbsent(keyId(previous), new SecretKeySpec(previous.clone(), "HmacSHA256"));
        }
    }

    /**
     * The first 8 bytes of the key's SHA-256, base64url: names the key without revealing anything useful about it
     * (the key is secret and high-entropy, so its hash cannot be inverted).
     */
    static String keyId(byte[] key) {
        try {
            return ENCODER.encodeToString(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The JSON form, with times as epoch seconds. */
    record Payload(String uid, String name, String role, String prj, long iat, long exp) {
    }

    public String encode(TokenClaims claims) {
        Payload payload = new Payload(claims.userId(), claims.userName(), claims.role().name(), claims.projectId(),
                claims.issuedAt().getEpochSecond(), claims.expiresAt().getEpochSecond());
        try {
            String signed = currentId + "." + ENCODER.encodeToString(JSON.writeValueAsBytes(payload));
            return signed + "." + ENCODER.encodeToString(sign(keys.get(currentId), signed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("token payload is a plain record", e);
        }
    }

    /** The claims of a well-formed token signed with a known key that has not expired at {@code now}; else empty. */
    public Optional<TokenClaims> decode(String token, Instant now) {
        if (token == null) {
            return Optional.empty();
        }
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        if (first <= 0 || last <= first + 1 || token.indexOf('.', first + 1) != last) {
            return Optional.empty();
        }
        SecretKeySpec key = keys.get(token.substring(0, first));
        if (key == null) {
            return Optional.empty();
        }
        String signed = token.substring(0, last);
        try {
            // Compared as text in its one canonical encoding: decoding first would accept variants of the last
            // base64 character whose unused bits differ, i.e. a token that was changed would still pass.
            byte[] signature = token.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(signature, ENCODER.encode(sign(key, signed)))) {
                return Optional.empty();
            }
            Payload p = JSON.readValue(DECODER.decode(token.substring(first + 1, last)), Payload.class);
            TokenClaims claims = new TokenClaims(p.uid(), p.name(), Caller.Role.valueOf(p.role()), p.prj(),
                    Instant.ofEpochSecond(p.iat()), Instant.ofEpochSecond(p.exp()));
            return now.isBefore(claims.expiresAt()) ? Optional.of(claims) : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] sign(SecretKeySpec key, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
