package io.deskfleet.controlplane.output;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Inject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.OutputChunk;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record's whole output over the real gRPC link and the real HTTP API: stored from the agent's chunks, served with
 * Range, followed live, asked for again when chunks went missing, and cut at the configured cap.
 */
@MicronautTest(transactional = false)
class RecordOutputApiTest extends ControlPlaneTestBase {
    private static final String P = "output";
    private static final int CAP = 300 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAgent agent;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("deskfleet.output.max-bytes-per-record", Integer.toString(CAP));
        return properties;
    }

    @Inject
    Database db;

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        heartbeats.shutdownNow();
        agent.close();
    }

    @Test
    void twoHundredKibInChunksComeBackWholeAndByRange() throws Exception {
        Run run = start("pc-whole");
        assertEquals(CAP, run.command.getRun().getFullOutputMaxBytes(), "the cap travels with the command");
        byte[] output = text(200 * 1024);
        sendChunks(run, output, 0, output.length);
        run.link.send(result(run.id, output, output.length, false));
        assertEquals(run.id, awaitAck(run.link));

        HttpResponse<byte[]> whole = fetch(run.id, null);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(output, whole.body());
        assertEquals("false", whole.headers().firstValue("X-Output-Truncated").orElseThrow());
        assertEquals("true", whole.headers().firstValue("X-Output-Complete").orElseThrow());
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());
        assertTrue(whole.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        HttpResponse<byte[]> middle = fetch(run.id, "bytes=100000-100099");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 100000-100099/" + output.length, middle.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(output, 100_000, 100_100), middle.body());
        HttpResponse<byte[]> tail = fetch(run.id, "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(output, output.length - 10, output.length), tail.body());
        HttpResponse<byte[]> from = fetch(run.id, "bytes=204000-");
        assertArrayEquals(Arrays.copyOfRange(output, 204_000, output.length), from.body());

        HttpResponse<byte[]> beyond = fetch(run.id, "bytes=" + output.length + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + output.length, beyond.headers().firstValue("Content-Range").orElseThrow());
        JsonNode error = JSON.readTree(beyond.body());
        assertEquals("WKS.00210416", error.get("error_code").asText(), error::toString);
        assertTrue(error.has("error_detail") && error.has("encoded_authorization_message"), error::toString);

        // The record JSON keeps its excerpt.
        JsonNode record = get(P, "/script-execution-records/" + run.id).body();
        assertEquals(64 * 1024, record.get("output").asText().length());
        assertTrue(record.get("output_truncated").asBoolean());
    }

    @Test
    void aShortOutputWithoutChunksIsServedFromItsResultAlone() throws Exception {
        Run run = start("pc-short");
        byte[] output = "one short line\n".getBytes(StandardCharsets.UTF_8);
        run.link.send(result(run.id, output, output.length, false));
        assertEquals(run.id, awaitAck(run.link));

        HttpResponse<byte[]> whole = fetch(run.id, null);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(output, whole.body());
        assertEquals("false", whole.headers().firstValue("X-Output-Truncated").orElseThrow());
        HttpResponse<byte[]> part = fetch(run.id, "bytes=4-8");
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(output, 4, 9), part.body());
        // No second copy of what the result row holds: the output tables stay empty for it.
        assertEquals(0, countRows("SELECT COUNT(*) FROM output_pieces WHERE record_id = '" + run.id + "'"));
        assertEquals(0, countRows("SELECT COUNT(*) FROM record_outputs WHERE record_id = '" + run.id + "'"));
    }

    @Test
    void missingChunksAreAskedForAgainBeforeTheResultIsAcknowledged() throws Exception {
        Run run = start("pc-gap");
        byte[] output = text(100 * 1024);
        sendChunks(run, output, 0, 8192);
        sendChunks(run, output, 16384, output.length); // 8-16 KiB lost with a stream, say
        run.link.send(result(run.id, output, output.length, false));
        ControlMessage asked = nextNonAck(run.link);
        assertTrue(asked.hasOutputRequest(), asked::toString);
        assertEquals(run.id, asked.getOutputRequest().getInvocationId());
        assertEquals(8192, asked.getOutputRequest().getOffset());
        assertNull(run.link.received.poll(300, TimeUnit.MILLISECONDS), "no ack while output is missing");

        sendChunks(run, output, 8192, output.length);
        assertEquals(run.id, awaitAck(run.link));
        assertArrayEquals(output, fetch(run.id, null).body());
    }

    @Test
    void outputBeyondTheCapIsCutAndSaysSo() throws Exception {
        Run run = start("pc-cap");
        byte[] output = text(CAP + 50_000);
        sendChunks(run, output, 0, output.length);
        run.link.send(result(run.id, output, output.length, false));
        assertEquals(run.id, awaitAck(run.link));
        HttpResponse<byte[]> cut = fetch(run.id, null);
        assertArrayEquals(Arrays.copyOf(output, CAP), cut.body());
        assertEquals("true", cut.headers().firstValue("X-Output-Truncated").orElseThrow());
    }

    @Test
    void followersGetStoredOutputThenLiveChunksThenTheEnd() throws Exception {
        Run run = start("pc-follow");
        Events task = events("/v2/" + P + "/script-execution-tasks/" + run.taskId + "/events");
        byte[] output = "héllo wörld\nsecond line\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        int half = 2001; // inside a two-byte character: the event waits for its second byte
        sendChunks(run, output, 0, half);
        awaitStored(run.id, half);

        Events fromStart = events("/v2/" + P + "/script-execution-records/" + run.id + "/output?follow=true");
        Events fromMiddle = events("/v2/" + P + "/script-execution-records/" + run.id + "/output?follow=true&offset=1000");
        sendChunks(run, output, half, output.length);
        run.link.send(result(run.id, output, output.length, false));
        assertEquals(run.id, awaitAck(run.link));

        assertEquals(new String(output, StandardCharsets.UTF_8), fromStart.textUntilEnd(0, output.length, false));
        assertEquals(new String(output, 1000, output.length - 1000, StandardCharsets.UTF_8),
                fromMiddle.textUntilEnd(1000, output.length, false));
        // The task's own stream carries the same bytes as output events, in order, no character split; it ends with
        // the task, which may be before the last output events, so only what was sent while it ran is checked.
        StringBuilder seen = new StringBuilder();
        long next = 0;
        while (next < half - 1) {
            JsonNode e = task.next("output");
            assertEquals(next, e.get("offset").asLong(), e::toString);
            assertEquals(run.id, e.get("record_id").asText());
            seen.append(e.get("output").asText());
            next += e.get("bytes").asLong();
        }
        assertEquals(new String(output, 0, (int) next, StandardCharsets.UTF_8), seen.toString());

        // After the end, a follower gets everything at once and the end.
        Events late = events("/v2/" + P + "/script-execution-records/" + run.id + "/output?follow=true");
        assertEquals(new String(output, StandardCharsets.UTF_8), late.textUntilEnd(0, output.length, false));
    }

    @Test
    void badQueriesAndOtherProjectsAreRefused() throws Exception {
        Run run = start("pc-refused");
        assertEquals(400, get(P, "/script-execution-records/" + run.id + "/output?offset=-1").status());
        assertEquals(400, get(P, "/script-execution-records/" + run.id + "/output?follow=maybe").status());
        Response missing = get(P, "/script-execution-records/no-such-record/output");
        assertEquals(404, missing.status());
        assertEquals("WKS.00210404", missing.body().get("error_code").asText());
        assertEquals(404, get("other-project", "/script-execution-records/" + run.id + "/output").status());
        // A record with nothing yet serves an empty, incomplete output.
        HttpResponse<byte[]> empty = fetch(run.id, null);
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().length);
        assertEquals("false", empty.headers().firstValue("X-Output-Complete").orElseThrow());
        assertEquals(416, fetch(run.id, "bytes=0-").statusCode());
    }

    // ------------------------------------------------------------------------------------------------------------

    private record Run(String taskId, String id, ControlMessage command, TestAgent.Link link) {
    }

    private Run start(String desktopName) throws Exception {
        String pool = createPool(P, desktopName + "-pool");
        String[] activation = createActivation(P, pool, 1);
        RegisterResponse registered = agent.register(P, activation[0], activation[1], pool, desktopName, Map.of());
        TestAgent.Link link = agent.connect(registered.getDesktopId(), registered.getDesktopCredential());
        assertTrue(link.next().hasWelcome());
        heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"cat big\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        ControlMessage command = link.next();
        assertTrue(command.hasRun(), command::toString);
        return new Run(posted.body().get("task_id").asText(), command.getRun().getInvocationId(), command, link);
    }

    private static byte[] text(int size) {
        StringBuilder b = new StringBuilder(size);
        for (int line = 0; b.length() < size; line++) {
            b.append("line ").append(line).append(" of the output\n");
        }
        return b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static void sendChunks(Run run, byte[] output, int from, int to) {
        for (int at = from; at < to; at += 8192) {
            int end = Math.min(to, at + 8192);
            run.link.send(AgentMessage.newBuilder().setOutput(OutputChunk.newBuilder().setInvocationId(run.id)
                    .setOffset(at).setData(ByteString.copyFrom(output, at, end - at))).build());
        }
    }

    private static AgentMessage result(String id, byte[] output, long fullBytes, boolean fullTruncated) {
        long now = System.currentTimeMillis();
        int excerpt = Math.min(output.length, 64 * 1024);
        return AgentMessage.newBuilder().setResult(InvocationResult.newBuilder().setInvocationId(id)
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setExitCode(0)
                .setOutput(new String(output, 0, excerpt, StandardCharsets.UTF_8))
                .setOutputTruncated(output.length > excerpt)
                .setFullOutputBytes(Math.min(fullBytes, CAP + 50_000)).setFullOutputTruncated(fullTruncated)
                .setStartedAtUnixMs(now - 1_000).setFinishedAtUnixMs(now)).build();
    }

    private long countRows(String sql) {
        return db.query(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String awaitAck(TestAgent.Link link) throws InterruptedException {
        ControlMessage m = nextNonRequest(link);
        assertTrue(m.hasAck(), m::toString);
        return m.getAck().getInvocationId();
    }

    private static ControlMessage nextNonRequest(TestAgent.Link link) throws InterruptedException {
        ControlMessage m;
        do {
            m = link.next();
        } while (m.hasOutputRequest());
        return m;
    }

    private static ControlMessage nextNonAck(TestAgent.Link link) throws InterruptedException {
        ControlMessage m;
        do {
            m = link.next();
        } while (m.hasAck());
        return m;
    }

    private void awaitStored(String recordId, int bytes) {
        await(bytes + " bytes stored", () -> {
            try {
                return fetch(recordId, null).body().length >= bytes;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private HttpResponse<byte[]> fetch(String recordId, String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v2/" + P + "/script-execution-records/" + recordId
                + "/output")).header("X-Auth-Token", token(P));
        if (range != null) {
            request.header("Range", range);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + embeddedPort() + path);
    }

    @Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    private int embeddedPort() {
        return server.getPort();
    }

    private Events events(String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri(path))
                .header("X-Auth-Token", token(P)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return new Events(response.body());
    }

    /** A Server-Sent Events reader: each event's name and JSON data, on a queue. */
    private static final class Events {
        private final BlockingQueue<String[]> queue = new LinkedBlockingQueue<>();

        Events(InputStream body) {
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String name = null;
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("event: ")) {
                            name = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            queue.add(new String[]{name, line.substring(6)});
                        }
                    }
                    queue.add(new String[]{"(closed)", "{}"});
                } catch (IOException e) {
                    queue.add(new String[]{"(closed)", "{}"});
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode next(String name) throws Exception {
            while (true) {
                String[] e = queue.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "no " + name + " event within 10 s");
                if (e[0].equals(name)) {
                    return JSON.readTree(e[1]);
                }
                assertFalse(e[0].equals("(closed)"), "stream closed before a " + name + " event");
            }
        }

        /** The output events' text up to the end event, checking offsets; the stream then closes. */
        String textUntilEnd(long offset, long outputBytes, boolean truncated) throws Exception {
            StringBuilder text = new StringBuilder();
            long next = offset;
            while (true) {
                String[] e = queue.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "no event within 10 s after byte " + next);
                JsonNode data = JSON.readTree(e[1]);
                if (e[0].equals("end")) {
                    assertEquals(outputBytes, data.get("output_bytes").asLong(), data::toString);
                    assertEquals(truncated, data.get("truncated").asBoolean(), data::toString);
                    assertEquals("(closed)", queue.poll(10, TimeUnit.SECONDS)[0]);
                    return text.toString();
                }
                assertEquals("output", e[0], e[1]);
                assertEquals(next, data.get("offset").asLong(), e[1]);
                text.append(data.get("output").asText());
                next += data.get("bytes").asLong();
            }
        }
    }
}
