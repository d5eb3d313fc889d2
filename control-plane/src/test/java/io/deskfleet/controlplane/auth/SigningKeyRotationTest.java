package io.deskfleet.controlplane.auth;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Restarts a control plane on one database with rotated signing keys and checks what an old token can still do. */
class SigningKeyRotationTest {
    private static final String KEY_A = "signing key A: 32 bytes or more!";
    private static final String KEY_B = "signing key B: 32 bytes or more!";
    private final String url = "jdbc:h2:mem:" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private final HttpClient client = HttpClient.newHttpClient();

    private EmbeddedServer start(String current, String previous) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", "-1");
        p.put("grpc.server.port", "0");
        p.put("datasources.default.url", url);
        p.put("deskfleet.auth.admin-password", "rotation-test-password");
        p.put("deskfleet.auth.signing-key", current);
        p.put("deskfleet.auth.previous-signing-keys", previous);
        return ApplicationContext.run(EmbeddedServer.class, p);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String login(EmbeddedServer server) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.getURI().resolve("/v3/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin",
                        "password":"rotation-test-password"}}},"scope":{"project":{"id":"rot"}}}}""")).build());
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    private int listPools(EmbeddedServer server, String token) throws Exception {
        return send(HttpRequest.newBuilder(server.getURI().resolve("/v2/rot/desktop-pools"))
                .header("X-Auth-Token", token).GET().build()).statusCode();
    }

    @Test
    void aTokenOutlivesRotationUntilItsKeyIsDropped() throws Exception {
        String underA;
        try (EmbeddedServer server = start(KEY_A, "")) {
            underA = login(server);
            assertEquals(200, listPools(server, underA));
        }
        String underB;
        try (EmbeddedServer server = start(KEY_B, KEY_A)) {
            assertEquals(200, listPools(server, underA), "A is a previous key: its tokens still verify");
            underB = login(server);
            assertEquals(200, listPools(server, underB));
        }
        try (EmbeddedServer server = start(KEY_B, "")) {
            assertEquals(401, listPools(server, underA), "A dropped: its tokens are refused");
            assertEquals(200, listPools(server, underB));
        }
    }
}
