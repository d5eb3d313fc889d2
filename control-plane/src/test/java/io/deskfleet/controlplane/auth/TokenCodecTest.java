package io.deskfleet.controlplane.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenCodecTest {
    private final TokenCodec codec = new TokenCodec(new byte[]{1, 2, 3, 4});
    private final Instant now = Instant.parse("2030-01-01T00:00:00Z");
    private final TokenClaims claims = new TokenClaims("id-1", "admin", Caller.Role.ADMIN, "p1", now,
            now.plusSeconds(60));

    @Test
    void roundTripsUntilExpiry() {
        String token = codec.encode(claims);
        assertEquals(claims, codec.decode(token, now.plusSeconds(59)).orElseThrow());
        assertTrue(codec.decode(token, now.plusSeconds(60)).isEmpty());
    }

    @Test
    void everyOneCharacterChangeIsRejected() {
        String token = codec.encode(claims);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            for (char c : alphabet.toCharArray()) {
                if (c != token.charAt(i)) {
                    String changed = token.substring(0, i) + c + token.substring(i + 1);
                    assertTrue(codec.decode(changed, now).isEmpty(), "accepted a token changed at " + i + ": " + changed);
                }
            }
        }
    }

    @Test
    void tamperedPayloadOrSignatureIsRejected() {
        String token = codec.encode(claims);
        String otherProject = codec.encode(new TokenClaims("id-1", "admin", Caller.Role.ADMIN, "p2", now,
                now.plusSeconds(60)));
        String spliced = otherProject.substring(0, otherProject.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
        assertTrue(codec.decode(spliced, now).isEmpty());
        String otherKeyId = new TokenCodec(new byte[]{9}, List.of(new byte[]{1, 2, 3, 4})).encode(claims);
        String relabelled = otherKeyId.substring(0, otherKeyId.indexOf('.')) + token.substring(token.indexOf('.'));
        assertTrue(codec.decode(relabelled, now).isEmpty(), "a key id the codec does not know");
        assertTrue(codec.decode(token + "x", now).isEmpty());
        assertTrue(codec.decode("a.b.c", now).isEmpty());
        assertFalse(codec.decode(token, now).isEmpty());
    }

    @Test
    void aPreviousKeyStillVerifiesUntilItIsDropped() {
        byte[] a = "key A".getBytes(StandardCharsets.UTF_8);
        byte[] b = "key B".getBytes(StandardCharsets.UTF_8);
        String underA = new TokenCodec(a).encode(claims);
        TokenCodec rotated = new TokenCodec(b, List.of(a));
        assertEquals(claims, rotated.decode(underA, now).orElseThrow());
        String underB = rotated.encode(claims);
        assertTrue(new TokenCodec(a).decode(underB, now).isEmpty(), "new tokens are signed with the current key");
        assertTrue(new TokenCodec(b).decode(underA, now).isEmpty(), "dropped key: refused");
        assertEquals(claims, new TokenCodec(b).decode(underB, now).orElseThrow());
    }
}
