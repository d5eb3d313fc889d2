package io.deskfleet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools Protocol on a WebSocket (no npm, no driver): one
 * browser with one page, in a fresh profile, on a debugging port the browser picks itself.
 */
public final class Chromium implements AutoCloseable {
    /** Set to true to skip (not fail) browser tests on a machine without Chromium; CI installs it. */
    public static final String SKIP_PROPERTY = "deskfleet.skipBrowserTests";
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    private WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private Chromium(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The binary, from -Ddeskfleet.chromium or /usr/bin/chromium. */
    public static Path binary() {
        return Path.of(System.getProperty("deskfleet.chromium", "/usr/bin/chromium"));
    }

    /**
     * For a browser test's setup: fails when the binary is missing, or skips the test class when that was asked for
     * with -Ddeskfleet.skipBrowserTests=true (CI installs Chromium, so a missing one is never a silent pass).
     */
    public static void requireBinary() {
        if (!Files.isExecutable(binary())) {
            Assumptions.assumeFalse(Boolean.getBoolean(SKIP_PROPERTY),
                    "skipped on purpose with -D" + SKIP_PROPERTY + "=true");
            throw new AssertionError(binary() + " is missing: apt-get install chromium (or -D" + SKIP_PROPERTY
                    + "=true to skip browser tests)");
        }
    }

    public static Chromium launch(Path dir) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path log = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(List.of(binary().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=1280,1400", "about:blank"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Chromium chromium = new Chromium(process, log);
        try {
            URI browser = URI.create(awaitDevToolsUrl(process, log));
            // The page's own endpoint, from the browser's /json/list on the same port.
            String pageUrl = Await.until("a page target", Duration.ofSeconds(20), () -> pageTarget(browser),
                    u -> u != null);
            chromium.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(pageUrl), chromium.listener()).get(20, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    private static String awaitDevToolsUrl(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = DEVTOOLS.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromium printed no DevTools URL within 30 s:\n" + Files.readString(log));
    }

    private static String pageTarget(URI browser) {
        try {
            HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : RestClient.JSON.readTree(list.body())) {
                if (target.get("type").asText().equals("page")) {
                    return target.get("webSocketDebuggerUrl").asText();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    onMessage(message);
                }
                webSocket.request(1);
                return null;
            }
        };
    }

    private void onMessage(String message) {
        try {
            JsonNode json = RestClient.JSON.readTree(message);
            if (json.has("id")) {
                CompletableFuture<JsonNode> call = calls.remove(json.get("id").asLong());
                if (call != null) {
                    call.complete(json);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One DevTools command; its result, or an AssertionError with the protocol's error. */
    public JsonNode send(String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        ObjectNode message = RestClient.JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        JsonNode answer;
        try {
            socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
            answer = reply.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            calls.remove(id);
            throw new AssertionError(method + " got no answer", e);
        }
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer.get("error"));
        }
        return answer.get("result");
    }

    public void navigate(String url) {
        send("Page.navigate", RestClient.JSON.createObjectNode().put("url", url));
    }

    /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its JSON value. */
    public JsonNode eval(String expression) {
        JsonNode result = send("Runtime.evaluate", RestClient.JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("JavaScript failed: " + expression + "\n" + result.get("exceptionDetails"));
        }
        JsonNode value = result.get("result").get("value");
        return value == null ? RestClient.JSON.nullNode() : value;
    }

    /** Polls an expression until its value passes; the failure names the last value. */
    public JsonNode await(String what, String expression, Predicate<JsonNode> done) {
        return Await.until(what, Duration.ofSeconds(60), () -> eval(expression), done);
    }

    public void screenshot(Path png) throws IOException {
        JsonNode shot = send("Page.captureScreenshot", RestClient.JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
