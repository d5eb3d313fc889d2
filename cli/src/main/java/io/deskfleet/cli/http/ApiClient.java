package io.deskfleet.cli.http;

import io.deskfleet.api.error.ErrorBody;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The REST API over java.net.http: JSON bodies of the api-model records, X-Auth-Token, contract error bodies. */
public final class ApiClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String endpoint;
    private final String token;

    public ApiClient(String endpoint, String token) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.token = token;
    }

    /** An answer with a 2xx status. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public <T> T as(Class<T> type) {
            return Json.read(body, type);
        }
    }

    /** A text/plain answer as bytes, with its headers: a record's output. */
    public record Bytes(int status, byte[] body, java.net.http.HttpHeaders headers) {
        public boolean flag(String header) {
            return headers.firstValue(header).map(Boolean::parseBoolean).orElse(false);
        }
    }

    /**
     * GET of a byte endpoint, with {@code Range: bytes=<from>-} when {@code from} > 0. A 416 (nothing stored from
     * there yet) is answered, not thrown: for a reader catching up it means "no new bytes".
     */
    public Bytes getBytes(String path, long from) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "text/plain")
                .header("X-Auth-Token", token)
                .GET();
        if (from > 0) {
            builder.header("Range", "bytes=" + from + "-");
        }
        HttpResponse<byte[]> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300 && response.statusCode() != 416) {
            throw error(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8),
                    true);
        }
        return new Bytes(response.statusCode(), response.statusCode() == 416 ? new byte[0] : response.body(),
                response.headers());
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response post(String path, Object body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    public Response put(String path, Object body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    /**
     * Opens a text/event-stream; the lines arrive as the server writes them. The caller closes the stream. There is
     * no read timeout: the server's keep-alive comments show the connection is alive, and a dropped one ends the
     * stream with an error.
     */
    public Stream<String> openEventStream(String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .header("Accept", "text/event-stream")
                .header("X-Auth-Token", token)
                .GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 300) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = lines.collect(Collectors.joining("\n"));
            }
            throw error(response.statusCode(), body, true);
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        return builder;
    }

    private URI uri(String path) {
        return URI.create(endpoint + path);
    }

    private Response send(HttpRequest.Builder builder) {
        HttpResponse<String> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body(), token != null);
        }
        return new Response(response.statusCode(), response.body(), response.headers());
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolFailure("interrupted");
        }
    }

    /** One line for a connection failure; the JDK's exceptions often have no message of their own. */
    public ProtocolFailure unreachable(IOException e) {
        String reason;
        if (e instanceof java.net.ConnectException) {
            reason = "connection refused";
        } else if (e instanceof java.net.http.HttpTimeoutException) {
            reason = "timed out";
        } else if (e.getMessage() == null || e.getMessage().isBlank()) {
            reason = "connection failed";
        } else {
            reason = e.getMessage();
        }
        return new ProtocolFailure("cannot reach " + endpoint + ": " + reason);
    }

    static ApiError error(int status, String body, boolean sentToken) {
        try {
            ErrorBody error = Json.MAPPER.readValue(body, ErrorBody.class);
            if (error.errorCode() != null || error.errorMsg() != null) {
                return new ApiError(status, error.errorCode(), error.errorMsg(), sentToken);
            }
        } catch (IOException e) {
            // not the contract's body (e.g. a proxy's page): show what came back
        }
        return new ApiError(status, null, body == null || body.isBlank() ? "(no body)" : Json.abbreviate(body),
                sentToken);
    }

    public String endpoint() {
        return endpoint;
    }
}
