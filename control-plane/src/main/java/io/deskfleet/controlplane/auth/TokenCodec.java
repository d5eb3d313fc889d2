package io.deskfleet.controlplane.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Compact signed tokens: {@code base64url(json claims) "." base64url(HMAC-SHA256(key, first part))}. Stateless, so
 * any number of tokens can be checked without a database round trip; revocation is by rotating the key.
 */
public final class TokenCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public TokenCodec(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The JSON form, with times as epoch seconds. */
    record Payload(String uid, String name, String role, String prj, long iat, long exp) {
    }

    public String encode(TokenClaims claims) {
        Payload payload = new Payload(claims.userId(), claims.userName(), claims.role().name(), claims.projectId(),
                claims.issuedAt().getEpochSecond(), claims.expiresAt().getEpochSecond());
        try {
            String body = ENCODER.encodeToString(JSON.writeValueAsBytes(payload));
            return body + "." + ENCODER.encodeToString(sign(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("token payload is a plain record", e);
        }
    }

    /** The claims of a well-formed, correctly signed token that has not expired at {@code now}; else empty. */
    public Optional<TokenClaims> decode(String token, Instant now) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        try {
            // Compared as text in its one canonical encoding: decoding first would accept variants of the last
            // base64 character whose unused bits differ, i.e. a token that was changed would still pass.
            byte[] signature = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(signature, ENCODER.encode(sign(body)))) {
                return Optional.empty();
            }
            Payload p = JSON.readValue(DECODER.decode(body), Payload.class);
            TokenClaims claims = new TokenClaims(p.uid(), p.name(), Caller.Role.valueOf(p.role()), p.prj(),
                    Instant.ofEpochSecond(p.iat()), Instant.ofEpochSecond(p.exp()));
            return now.isBefore(claims.expiresAt()) ? Optional.of(claims) : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
