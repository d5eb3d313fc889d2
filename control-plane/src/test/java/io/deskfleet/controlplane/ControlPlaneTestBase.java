package io.deskfleet.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.controlplane.agentlink.AgentLinkServer;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A whole control plane per test class: its own in-memory H2, a random HTTP port, a random gRPC port, and helpers
 * that speak HTTP as a client would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ControlPlaneTestBase implements TestPropertyProvider {
    protected static final String ADMIN_PASSWORD = "correct horse battery staple";
    protected static final String SIGNING_KEY = "test-signing-key-0123456789abcdef";
    protected static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @Client("/")
    protected HttpClient http;

    @Inject
    protected AgentLinkServer agentLink;

    private final Map<String, String> tokens = new HashMap<>();

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("micronaut.server.port", "-1");
        p.put("grpc.server.port", "0");
        p.put("datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        p.put("deskfleet.auth.admin-password", ADMIN_PASSWORD);
        p.put("deskfleet.auth.signing-key", SIGNING_KEY);
        p.put("deskfleet.agent.heartbeat-interval", "200ms");
        p.put("deskfleet.agent.offline-after", "2s");
        return p;
    }

    /** Status and parsed JSON body (null when empty) of any response, success or error. */
    public record Response(int status, HttpHeaders headers, JsonNode body) {
    }

    protected Response call(MutableHttpRequest<?> request) {
        try {
            HttpResponse<String> r = http.toBlocking().exchange(request, String.class);
            return new Response(r.code(), r.getHeaders(), parse(r.getBody(String.class).orElse(null)));
        } catch (HttpClientResponseException e) {
            return new Response(e.getStatus().getCode(), e.getResponse().getHeaders(),
                    parse(e.getResponse().getBody(String.class).orElse(null)));
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String tokenBody(String user, String password, String projectId) {
        return """
                {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","password":"%s",
                "domain":{"name":"anything"}}}},"scope":{"project":{"id":"%s"}}}}""".formatted(user, password, projectId);
    }

    protected String token(String projectId) {
        return tokens.computeIfAbsent(projectId, p -> {
            Response r = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("admin", ADMIN_PASSWORD, p))
                    .contentType(MediaType.APPLICATION_JSON_TYPE));
            if (r.status() != 201) {
                throw new IllegalStateException("token request failed: " + r);
            }
            return r.headers().get("X-Subject-Token");
        });
    }

    protected Response get(String projectId, String path) {
        return call(HttpRequest.GET("/v2/" + projectId + path).header("X-Auth-Token", token(projectId)));
    }

    protected Response post(String projectId, String path, String json) {
        return call(HttpRequest.POST("/v2/" + projectId + path, json).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Auth-Token", token(projectId)));
    }

    protected String createPool(String projectId, String name) {
        Response r = post(projectId, "/desktop-pools", "{\"name\":\"" + name + "\",\"type\":\"DYNAMIC\"}");
        if (r.status() != 200) {
            throw new IllegalStateException("pool creation failed: " + r);
        }
        return r.body().get("id").asText();
    }

    /** Activation id and code. */
    protected String[] createActivation(String projectId, String poolId, int limit) {
        Response r = post(projectId, "/agent-activations",
                "{\"pool_id\":\"" + poolId + "\",\"registration_limit\":" + limit + "}");
        if (r.status() != 200) {
            throw new IllegalStateException("activation failed: " + r);
        }
        return new String[]{r.body().get("activation_id").asText(), r.body().get("activation_code").asText()};
    }

    /** A script execution record, which must exist. */
    protected JsonNode record(String projectId, String recordId) {
        Response r = get(projectId, "/script-execution-records/" + recordId);
        if (r.status() != 200) {
            throw new AssertionError("record " + recordId + ": " + r);
        }
        return r.body();
    }

    /** A script execution task, which must exist. */
    protected JsonNode task(String projectId, String taskId) {
        Response r = get(projectId, "/script-execution-tasks?task_id=" + taskId);
        if (r.status() != 200) {
            throw new AssertionError("task " + taskId + ": " + r);
        }
        return r.body().get("script_tasks").get(0);
    }

    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
