package io.deskfleet.controlplane.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    @Test
    void matchesOnlyTheRightPasswordAndSaltsEachHash() {
        String a = PasswordHasher.hash("s3cret");
        assertTrue(a.startsWith("pbkdf2-sha256$" + PasswordHasher.ITERATIONS + "$"));
        assertTrue(PasswordHasher.matches("s3cret", a));
        assertFalse(PasswordHasher.matches("s3cret ", a));
        assertNotEquals(a, PasswordHasher.hash("s3cret"));
        assertFalse(PasswordHasher.matches("s3cret", "garbage"));
    }

    @Test
    void hashingIsFastEnoughForATokenRequest() {
        String hash = PasswordHasher.hash("warm-up");
        long best = Long.MAX_VALUE;
        // The best of several runs: the first ones run before the JIT compiles the HMAC loop.
        for (int i = 0; i < 15; i++) {
            long start = System.nanoTime();
            PasswordHasher.matches("warm-up", hash);
            best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
        }
        assertTrue(best < 100, "one check took " + best + " ms");
    }
}
