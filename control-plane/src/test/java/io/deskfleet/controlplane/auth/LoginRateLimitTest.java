package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Password guessing over real HTTP: the limit answers 429 with the contract body, then lifts with its window. */
@MicronautTest(transactional = false)
class LoginRateLimitTest extends ControlPlaneTestBase {

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(super.getProperties());
        p.put("deskfleet.auth.max-failed-logins", "3");
        p.put("deskfleet.auth.failed-login-window", "2s");
        return p;
    }

    private Response login(String password) {
        return call(HttpRequest.POST("/v3/auth/tokens", tokenBody("admin", password, "rate-limit"))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    @Test
    void repeatedWrongPasswordsLockTheUserOutForTheWindow() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login("guess-" + i).status());
        }
        Response locked = login(ADMIN_PASSWORD);
        assertEquals(429, locked.status(), "even the right password waits: " + locked);
        assertEquals("WKS.00210429", locked.body().get("error_code").asText());
        assertNull(locked.headers().get("X-Subject-Token"));

        Thread.sleep(2_200);
        assertEquals(201, login(ADMIN_PASSWORD).status(), "the window has passed");
    }
}
