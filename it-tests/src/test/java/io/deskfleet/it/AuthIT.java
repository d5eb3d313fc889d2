package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.RestClient;
import io.deskfleet.it.harness.RestClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthIT {
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void passwordLoginIssuesAScopedExpiringToken() {
        Response response = cp.rest().post("/v3/auth/tokens",
                RestClient.keystoneBody(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD, "proj-a"));
        JsonNode body = response.expect(201);
        String token = response.header("X-Subject-Token");
        assertNotNull(token, "token header");
        assertFalse(token.isBlank());
        Instant expiresAt = Instant.parse(body.get("token").get("expires_at").asText());
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofHours(23))), "default lifetime is 24 h: " + expiresAt);
        assertTrue(expiresAt.isBefore(Instant.now().plus(Duration.ofHours(25))), "default lifetime is 24 h: " + expiresAt);
        assertEquals("proj-a", body.get("token").get("project").get("id").asText());

        cp.rest().withToken(token).get("/v2/proj-a/desktop-pools").expect(200);
    }

    @Test
    void wrongPasswordIs401WithTheContractBody() {
        Response response = cp.rest().post("/v3/auth/tokens",
                RestClient.keystoneBody(ControlPlaneProcess.ADMIN_USER, "not-the-password", "proj-a"));
        JsonNode body = response.expect(401);
        assertEquals("WKS.00211302", body.get("error_code").asText());
        assertNull(response.header("X-Subject-Token"));
    }

    @Test
    void unknownUserIs401() {
        cp.rest().post("/v3/auth/tokens", RestClient.keystoneBody("nobody", "whatever", "proj-a")).expect(401);
    }

    @Test
    void missingOrForgedTokenIs401WithAllFourErrorFields() {
        for (RestClient client : new RestClient[]{cp.rest(), cp.rest().withToken("forged.token.value")}) {
            JsonNode body = client.get("/v2/proj-a/desktop-pools").expect(401);
            assertEquals("WKS.00211302", body.get("error_code").asText());
            assertTrue(body.hasNonNull("error_msg"));
            assertTrue(body.has("error_detail"), body.toString());
            assertTrue(body.has("encoded_authorization_message"), body.toString());
        }
    }

    @Test
    void tamperedTokenIs401() {
        String token = cp.admin("proj-a").token();
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        cp.rest().withToken(tampered).get("/v2/proj-a/desktop-pools").expect(401);
    }

    @Test
    void tokenOfAnotherProjectIs403WithAllFourErrorFields() {
        RestClient projectB = cp.admin("proj-b");
        JsonNode body = projectB.get("/v2/proj-a/desktop-pools").expect(403);
        assertTrue(body.hasNonNull("error_code"));
        assertTrue(body.hasNonNull("error_msg"));
        assertTrue(body.has("error_detail"), body.toString());
        assertTrue(body.has("encoded_authorization_message"), body.toString());
        // and nothing was created through the wrong project
        projectB.post("/v2/proj-a/desktop-pools",
                RestClient.JSON.createObjectNode().put("name", "sneaky").put("type", "DYNAMIC")).expect(403);
        assertEquals(0, cp.admin("proj-a").get("/v2/proj-a/desktop-pools").expect(200).get("total_count").asInt());
    }

    @Test
    void tokenSurvivesARestartOfTheControlPlane() throws IOException {
        RestClient client = cp.admin("proj-restart");
        int exit;
        try {
            exit = cp.terminate();
        } finally {
            cp.start();
        }
        // 143 = 128 + SIGTERM: the JVM's exit status after it ran its shutdown hooks
        assertEquals(143, exit, "exit status after SIGTERM");
        assertTrue(Files.readString(cp.dir().resolve("control-plane-1.log")).contains("agent link stopped"),
                "orderly shutdown logged");
        client.get("/v2/proj-restart/desktop-pools").expect(200);
    }

    private static void assertNull(String value) {
        assertTrue(value == null, "expected no value but got " + value);
    }
}
