package io.deskfleet.controlplane.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class AuthTest extends ControlPlaneTestBase {

    private Response requestToken(String body) {
        return call(HttpRequest.POST("/v3/auth/tokens", body).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private Response listPools(String project, String token) {
        var request = HttpRequest.GET("/v2/" + project + "/desktop-pools");
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return call(request);
    }

    private static void assertAuthError(Response r, int status, String code) {
        assertEquals(status, r.status(), () -> "response " + r);
        JsonNode b = r.body();
        assertEquals(code, b.get("error_code").asText());
        assertFalse(b.get("error_msg").asText().isEmpty());
        assertTrue(b.has("error_detail"), "error_detail present");
        assertTrue(b.has("encoded_authorization_message"), "encoded_authorization_message present");
    }

    @Test
    void issuesTokenWithHeaderAndKeystoneBody() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Response r = requestToken(tokenBody("admin", ADMIN_PASSWORD, "proj-a"));
        assertEquals(201, r.status());
        String token = r.headers().get("X-Subject-Token");
        assertNotNull(token);
        JsonNode t = r.body().get("token");
        assertEquals("admin", t.get("user").get("name").asText());
        assertFalse(t.get("user").get("id").asText().isEmpty());
        assertEquals("anything", t.get("user").get("domain").get("name").asText());
        assertEquals("proj-a", t.get("project").get("id").asText());
        assertEquals("password", t.get("methods").get(0).asText());
        assertEquals("admin", t.get("roles").get(0).get("name").asText());
        Instant issued = Instant.parse(t.get("issued_at").asText());
        Instant expires = Instant.parse(t.get("expires_at").asText());
        assertFalse(issued.isBefore(before));
        assertEquals(Duration.ofHours(24), Duration.between(issued, expires));
        assertEquals(200, listPools("proj-a", token).status());
    }

    @Test
    void wrongPasswordOrUserIs401() {
        for (Response r : new Response[]{requestToken(tokenBody("admin", "wrong", "proj-a")),
                requestToken(tokenBody("nobody", ADMIN_PASSWORD, "proj-a"))}) {
            assertEquals(401, r.status());
            assertEquals("WKS.00211302", r.body().get("error_code").asText());
            assertTrue(r.headers().get("X-Subject-Token") == null);
        }
    }

    @Test
    void missingOrMalformedScopeIs400() {
        Response noScope = requestToken("""
                {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","password":"x"}}}}}""");
        assertEquals(400, noScope.status());
        assertEquals("WKS.00211102", noScope.body().get("error_code").asText());
        assertEquals(400, requestToken(tokenBody("admin", ADMIN_PASSWORD, "bad/project")).status());
    }

    @Test
    void missingMalformedForgedOrExpiredTokenIs401() {
        assertAuthError(listPools("proj-a", null), 401, "WKS.00211302");
        assertAuthError(listPools("proj-a", "not-a-token"), 401, "WKS.00211302");
        Instant now = Instant.now();
        TokenClaims claims = new TokenClaims("u", "admin", Caller.Role.ADMIN, "proj-a", now, now.plusSeconds(600));
        String forged = new TokenCodec("another key".getBytes(StandardCharsets.UTF_8)).encode(claims);
        assertAuthError(listPools("proj-a", forged), 401, "WKS.00211302");
        TokenCodec real = new TokenCodec(SIGNING_KEY.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, listPools("proj-a", real.encode(claims)).status(), "control: the real key is accepted");
        TokenClaims expired = new TokenClaims("u", "admin", Caller.Role.ADMIN, "proj-a",
                now.minusSeconds(7200), now.minusSeconds(1));
        assertAuthError(listPools("proj-a", real.encode(expired)), 401, "WKS.00211302");
    }

    @Test
    void tokenForAnotherProjectIs403() {
        assertAuthError(listPools("proj-b", token("proj-a")), 403, "WKS.00210403");
    }
}
