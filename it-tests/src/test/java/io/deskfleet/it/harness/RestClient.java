package io.deskfleet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal REST client as a user's automation would have: raw HTTP, JSON, the X-Auth-Token header. */
public final class RestClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;

    RestClient(String baseUrl) {
        this(baseUrl, null);
    }

    private RestClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public RestClient withToken(String newToken) {
        return new RestClient(baseUrl, newToken);
    }

    public String token() {
        return token;
    }

    /** Keystone v3 password login scoped to a project; fails the test unless it answers 201. */
    public RestClient login(String user, String password, String projectId) {
        Response response = post("/v3/auth/tokens", keystoneBody(user, password, projectId));
        if (response.status() != 201) {
            throw new AssertionError("login failed: " + response);
        }
        return withToken(response.header("X-Subject-Token"));
    }

    public static ObjectNode keystoneBody(String user, String password, String projectId) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode userNode = identity.putObject("password").putObject("user");
        userNode.put("name", user);
        userNode.put("password", password);
        userNode.putObject("domain").put("name", "Default");
        ((ObjectNode) body.get("auth")).putObject("scope").putObject("project").put("id", projectId);
        return body;
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response post(String path, Object body) {
        return send(request(path).POST(bodyOf(body)));
    }

    public Response put(String path, Object body) {
        return send(request(path).PUT(bodyOf(body)));
    }

    /** Sends text as it is, for malformed-JSON cases. */
    public Response postRaw(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher bodyOf(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(request.method() + " " + request.uri().getPath(), response.statusCode(),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public record Response(String request, int status, String text, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            try {
                return text == null || text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The body, after checking the status; the message shows the whole answer when it is not the one expected. */
        public JsonNode expect(int expectedStatus) {
            if (status != expectedStatus) {
                throw new AssertionError("expected " + expectedStatus + " from " + this);
            }
            return json();
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + text;
        }
    }
}
