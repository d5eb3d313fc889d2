package io.deskfleet.controlplane.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent Events reader as a CLI would write one: raw HTTP, the X-Auth-Token header, line parsing. */
final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Put on the queue when the server ends the stream. */
    static final Event CLOSED = new Event("(closed)", null);

    record Event(String name, JsonNode data) {
    }

    final int status;
    final String contentType;
    final String errorBody;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream body;

    SseClient(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        status = response.statusCode();
        contentType = response.headers().firstValue("Content-Type").orElse("");
        body = response.body();
        if (status != 200) {
            errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return;
        }
        errorBody = null;
        Thread reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null) {
                        events.add(new Event(name, JSON.readTree(data.toString())));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring("data: ".length()));
                } else if (!line.startsWith(":")) {
                    throw new IllegalStateException("not an SSE line: " + line);
                }
            }
        } catch (IOException e) {
            // the stream ended
        } catch (RuntimeException e) {
            events.add(new Event("(bad line: " + e.getMessage() + ")", null));
        }
        events.add(CLOSED);
    }

    /** The next event, or the CLOSED marker; fails after 10 s without one. */
    Event next() throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within 10 s");
        }
        return e;
    }

    Event next(String name) throws InterruptedException {
        Event e = next();
        if (!e.name().equals(name)) {
            throw new AssertionError("expected a '" + name + "' event but got " + e);
        }
        return e;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
