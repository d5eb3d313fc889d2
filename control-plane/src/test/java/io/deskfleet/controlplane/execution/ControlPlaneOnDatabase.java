package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For upgrade and restart tests: an in-memory H2 database that outlives the control planes started on it, so a test
 * can write rows the way an earlier version did, or stop a control plane mid-task, then start the current one on
 * them and read them through the API.
 */
final class ControlPlaneOnDatabase {
    private static final String PASSWORD = "upgrade-test-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String url = "jdbc:h2:mem:" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private final String projectId;
    private final HttpClient client = HttpClient.newHttpClient();

    ControlPlaneOnDatabase(String projectId) {
        this.projectId = projectId;
    }

    EmbeddedServer start() {
        return start(Map.of());
    }

    /** With these properties besides the database's and the admin's. */
    EmbeddedServer start(Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("micronaut.server.port", "-1");
        p.put("grpc.server.port", "0");
        p.put("datasources.default.url", url);
        p.put("deskfleet.auth.admin-password", PASSWORD);
        p.put("deskfleet.auth.signing-key", "upgrade-test-signing-key-0123456789");
        return ApplicationContext.run(EmbeddedServer.class, p);
    }

    /** The admin's token for the project. */
    String login(EmbeddedServer server) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.getURI().resolve("/v3/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin",
                        "password":"%s"}}},"scope":{"project":{"id":"%s"}}}}""".formatted(PASSWORD, projectId)))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** A call under /v2/{project}; fails the test unless it is answered 200. */
    JsonNode send(EmbeddedServer server, String token, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.getURI().resolve("/v2/" + projectId + path))
                .header("X-Auth-Token", token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> method + " " + path + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
