package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25's output end to end: real control-plane jar, real agents. A slow command's lines reach the task's event
 * stream while it runs; 5 MiB from each of several desktops at once comes back byte for byte, whole and by Range;
 * output beyond the cap is cut at the cap and says so.
 */
class OutputIT {
    static final String PROJECT = "proj-output";
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final int DESKTOPS = 3;
    /** Raised from the default 1 MiB so that 5 MiB fits and the cut is still reachable. */
    static final int CAP = 6 * 1024 * 1024;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static Executions executions;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).withEnv("DESKFLEET_OUTPUT_MAX_BYTES_PER_RECORD", Integer.toString(CAP))
                .start();
        api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "output-pool", DESKTOPS);
        fleet.startAgents("out", DESKTOPS);
    }

    @AfterAll
    static void stop() {
        fleet.close();
        cp.close();
    }

    /** What {@code seq -f %09g 1 n} prints: n lines of 10 bytes, each offset's content distinct. */
    static byte[] numberedLines(int n) {
        byte[] out = new byte[n * 10];
        for (int i = 1; i <= n; i++) {
            byte[] line = String.format("%09d\n", i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(line, 0, out, (i - 1) * 10, 10);
        }
        return out;
    }

    static HttpResponse<byte[]> output(String recordId, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/v2/" + PROJECT
                        + "/script-execution-records/" + recordId + "/output"))
                .timeout(Duration.ofSeconds(60)).header("X-Auth-Token", api.token());
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * A record ends with its result; its output may still be coming in ("Record output": X-Output-Complete is false
     * while the result waits for output), so a client waits for the header before it reads the whole.
     */
    static void awaitComplete(String recordId) {
        Await.until("record " + recordId + " output complete", PATIENCE, () -> {
            try {
                return output(recordId, "bytes=0-0").headers().firstValue("X-Output-Complete").orElse("");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "true"::equals);
    }

    @Test
    void aSlowCommandsFirstLineArrivesOnTheTaskStreamBeforeItEnds() throws Exception {
        String taskId = executions.onPool(fleet.poolId(),
                Executions.command("echo first-line; sleep 3; echo second-line; sleep 3"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/v2/" + PROJECT
                        + "/script-execution-tasks/" + taskId + "/events"))
                .header("X-Auth-Token", api.token()).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());

        long firstLineAt = -1;
        long secondLineAt = -1;
        long endAt = -1;
        long started = System.nanoTime();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while ((line = lines.readLine()) != null && endAt < 0) {
                if (System.nanoTime() - started > PATIENCE.toNanos()) {
                    throw new AssertionError("no end event within " + PATIENCE);
                }
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && event != null) {
                    JsonNode data = RestClient.JSON.readTree(line.substring(6));
                    long at = System.nanoTime();
                    switch (event) {
                        case "output" -> {
                            String text = data.get("output").asText();
                            if (text.contains("first-line") && firstLineAt < 0) {
                                firstLineAt = at;
                                assertEquals("RUNNING", executions.task(taskId).get("status").asText(),
                                        "the task still runs when its first line arrives");
                            }
                            if (text.contains("second-line") && secondLineAt < 0) {
                                secondLineAt = at;
                            }
                        }
                        case "record" -> assertTrue(firstLineAt >= 0 || !data.get("status").asText().equals("SUCCESS"),
                                "a record ended before its first line was streamed: " + data);
                        case "end" -> endAt = at;
                        default -> { }
                    }
                }
            }
        }
        assertTrue(firstLineAt > 0, "first-line never arrived as an output event");
        assertTrue(endAt > 0, "the stream closed without an end event");
        // The command sleeps 6 s after its first line: the line must have come well before the end, not with it.
        assertTrue(Duration.ofNanos(endAt - firstLineAt).toMillis() >= 3000,
                "first line only " + Duration.ofNanos(endAt - firstLineAt).toMillis() + " ms before the end");
        assertTrue(secondLineAt > firstLineAt, "second-line arrives after first-line");
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
    }

    @Test
    void fiveMebibytesFromEachDesktopComeBackByteForByteWholeAndByRange() throws Exception {
        int lines = 5 * 1024 * 1024 / 10;
        byte[] expected = numberedLines(lines);
        assertEquals(5 * 1024 * 1024, expected.length);
        String taskId = executions.onPool(fleet.poolId(), Executions.command("seq -f '%09g' 1 " + lines));
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());

        List<JsonNode> records = executions.records(taskId);
        assertEquals(DESKTOPS, records.size());
        for (JsonNode record : records) {
            String recordId = record.get("id").asText();
            awaitComplete(recordId);
            HttpResponse<byte[]> whole = output(recordId, null);
            assertEquals(200, whole.statusCode());
            assertEquals("false", whole.headers().firstValue("X-Output-Truncated").orElse(null));
            assertEquals("true", whole.headers().firstValue("X-Output-Complete").orElse(null));
            assertTrue(whole.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertEquals(expected.length, whole.body().length, "stored size of " + recordId);
            assertTrue(Arrays.equals(expected, whole.body()), "output of " + recordId + " differs");
            // The record JSON keeps its 64 KiB excerpt, marked cut.
            assertTrue(record.get("output_truncated").asBoolean(), record.get("output_truncated").toString());
        }

        String recordId = records.get(0).get("id").asText();
        int from = 3_000_001;
        int to = 3_100_000;
        HttpResponse<byte[]> part = output(recordId, "bytes=" + from + "-" + to);
        assertEquals(206, part.statusCode());
        assertEquals("bytes " + from + "-" + to + "/" + expected.length,
                part.headers().firstValue("Content-Range").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(expected, from, to + 1), part.body());
        HttpResponse<byte[]> tail = output(recordId, "bytes=-25");
        assertEquals(206, tail.statusCode());
        assertEquals("bytes " + (expected.length - 25) + "-" + (expected.length - 1) + "/" + expected.length,
                tail.headers().firstValue("Content-Range").orElse(null));
        assertEquals("4286\n000524287\n000524288\n", new String(tail.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void outputBeyondTheCapIsCutAtTheCapAndSaysSo() throws Exception {
        int lines = 700_000;
        byte[] printed = numberedLines(lines);
        assertTrue(printed.length > CAP);
        String taskId = executions.onPool(fleet.poolId(), Executions.command("seq -f '%09g' 1 " + lines));
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());

        String recordId = executions.records(taskId).get(0).get("id").asText();
        awaitComplete(recordId);
        HttpResponse<byte[]> whole = output(recordId, null);
        assertEquals(200, whole.statusCode());
        assertEquals("true", whole.headers().firstValue("X-Output-Truncated").orElse(null));
        assertEquals(CAP, whole.body().length);
        assertTrue(Arrays.equals(Arrays.copyOf(printed, CAP), whole.body()), "the first CAP bytes are kept as printed");
        HttpResponse<byte[]> beyond = output(recordId, "bytes=" + CAP + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + CAP, beyond.headers().firstValue("Content-Range").orElse(null));
    }
}
