package io.deskfleet.controlplane.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.ExecutionChanges;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live event streams over real HTTP, fed by a real rollout on agents connected over real gRPC. */
@MicronautTest(transactional = false)
class LiveEventsTest extends ControlPlaneTestBase {
    private static final String P = "live";

    @Inject
    EmbeddedServer server;
    @Inject
    LiveEvents liveEvents;
    @Inject
    Database db;

    private TestAgent agent;
    private String poolId;

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "live-pool");
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        agent.close();
    }

    private SseClient open(String path, String token) throws Exception {
        return new SseClient(server.getURL() + "/v2/" + P + path, token);
    }

    private RegisterResponse register(String name) {
        String[] activation = createActivation(P, poolId, 1);
        return agent.register(P, activation[0], activation[1], poolId, name, Map.of());
    }

    private TestAgent.Link connect(RegisterResponse desktop) throws InterruptedException {
        TestAgent.Link link = agent.connect(desktop.getDesktopId(), desktop.getDesktopCredential());
        link.next(); // Welcome
        return link;
    }

    @Test
    void taskStreamShowsSnapshotEachRecordChangeFinalCountsThenEnds() throws Exception {
        String p1 = createPool(P, "gray-pool");
        Map<String, TestAgent.Link> links = new HashMap<>();
        for (String name : List.of("gray-a", "gray-b")) {
            String[] activation = createActivation(P, p1, 1);
            RegisterResponse desktop = agent.register(P, activation[0], activation[1], p1, name, Map.of());
            links.put(desktop.getDesktopId(), connect(desktop));
        }
        SseClient project = open("/events", token(P));
        Response started = post(P, "/desktop-pools/" + p1 + "/script-executions",
                "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\",\"gray_count\":1}");
        assertEquals(200, started.status(), () -> "start: " + started);
        String taskId = started.body().get("task_id").asText();

        try (SseClient stream = open("/script-execution-tasks/" + taskId + "/events", token(P))) {
            assertEquals(200, stream.status);
            assertTrue(stream.contentType.startsWith("text/event-stream"), stream.contentType);

            JsonNode snapshot = stream.next("task").data();
            assertEquals(taskId, snapshot.get("id").asText());
            assertEquals(2, snapshot.get("resource_ids").size());
            assertEquals(1, snapshot.get("gray_resource_ids").size());
            assertEquals(0, snapshot.get("success_num").asInt());
            String grayDesktop = snapshot.get("gray_resource_ids").get(0).asText();
            Map<String, JsonNode> records = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonNode record = stream.next("record").data();
                assertEquals(taskId, record.get("script_task_id").asText());
                assertEquals("WAITING", record.get("status").asText());
                records.put(record.get("resource_id").asText(), record);
            }
            assertEquals(1, records.get(grayDesktop).get("execute_order").asInt());

            // The gray desktop runs first; the other only once it has succeeded.
            runAndExpect(stream, links.get(grayDesktop), grayDesktop);
            String other = links.keySet().stream().filter(id -> !id.equals(grayDesktop)).findFirst().orElseThrow();
            runAndExpect(stream, links.get(other), other);

            List<SseClient.Event> rest = new ArrayList<>();
            for (SseClient.Event e = stream.next(); e != SseClient.CLOSED; e = stream.next()) {
                if (!e.name().equals("output")) { // the records' output (issue 25) may come at any point
                    rest.add(e);
                }
            }
            assertTrue(rest.size() >= 2, () -> "task and end expected, got " + rest);
            SseClient.Event end = rest.get(rest.size() - 1);
            assertEquals("end", end.name());
            assertEquals("SUCCESS", end.data().get("status").asText());
            SseClient.Event last = rest.get(rest.size() - 2);
            assertEquals("task", last.name(), () -> "before end: " + rest);
            assertEquals("SUCCESS", last.data().get("status").asText());
            assertEquals(2, last.data().get("success_num").asInt());
            assertEquals(0, last.data().get("failed_num").asInt());
            assertNotNull(last.data().get("end_time"));
            assertTrue(rest.stream().allMatch(e -> e.name().equals("task") || e.name().equals("end")),
                    () -> "only task counts and the end after the last record: " + rest);
        }

        // The project stream saw the task appear and finish, with the same final counts.
        try (project) {
            List<JsonNode> seen = new ArrayList<>();
            JsonNode task;
            do {
                SseClient.Event e = project.next();
                assertTrue(e != SseClient.CLOSED, () -> "project stream closed; saw " + seen);
                task = e.name().equals("task") && e.data().get("id").asText().equals(taskId) ? e.data() : null;
                if (task != null) {
                    seen.add(task);
                }
            } while (task == null || !task.get("status").asText().equals("SUCCESS"));
            assertEquals(2, task.get("success_num").asInt());
            assertTrue(seen.get(0).get("success_num").asInt() < 2, () -> "first seen while running: " + seen);
        }

        // A client that comes after the end gets the snapshot and the end at once.
        try (SseClient late = open("/script-execution-tasks/" + taskId + "/events", token(P))) {
            assertEquals(2, late.next("task").data().get("success_num").asInt());
            assertEquals("SUCCESS", late.next("record").data().get("status").asText());
            assertEquals("SUCCESS", late.next("record").data().get("status").asText());
            assertEquals("SUCCESS", late.next("end").data().get("status").asText());
            assertEquals(SseClient.CLOSED, late.next());
        }
        links.values().forEach(TestAgent.Link::hangUp);
    }

    /** The desktop gets its command, starts it, exits 0; the stream shows RUNNING then SUCCESS. */
    private static void runAndExpect(SseClient stream, TestAgent.Link link, String desktopId) throws Exception {
        ControlMessage run = nextRun(link);
        String invocation = run.getRun().getInvocationId();
        long t0 = System.currentTimeMillis();
        link.send(AgentMessage.newBuilder().setStarted(InvocationStarted.newBuilder().setInvocationId(invocation)
                .setStartedAtUnixMs(t0)).build());
        JsonNode running = nextRecord(stream);
        assertEquals(desktopId, running.get("resource_id").asText());
        assertEquals("RUNNING", running.get("status").asText());
        assertEquals(invocation, running.get("id").asText());
        link.send(AgentMessage.newBuilder().setResult(InvocationResult.newBuilder().setInvocationId(invocation)
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setExitCode(0).setOutput(desktopId + "\n")
                .setStartedAtUnixMs(t0).setFinishedAtUnixMs(t0 + 5)).build());
        JsonNode done = nextRecord(stream);
        assertEquals(invocation, done.get("id").asText());
        assertEquals("SUCCESS", done.get("status").asText());
        assertEquals("0", done.get("result_code").asText());
    }

    @Test
    void aTaskEndedByALaterBatchSendsItsLastRecordsBeforeTheEnd() throws Exception {
        String p2 = createPool(P, "late-pool");
        String[] activation = createActivation(P, p2, 1);
        // Never connected: its command waits for it, so nothing but this test changes the task.
        agent.register(P, activation[0], activation[1], p2, "late-a", Map.of());
        Response started = post(P, "/desktop-pools/" + p2 + "/script-executions",
                "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\"}");
        assertEquals(200, started.status(), () -> "start: " + started);
        String taskId = started.body().get("task_id").asText();
        try (SseClient stream = open("/script-execution-tasks/" + taskId + "/events", token(P))) {
            stream.next("task");
            assertEquals("WAITING", stream.next("record").data().get("status").asText());

            // A batch commits the record's result and the task's end, and the drain that reads the task hears of
            // the task first: the record's own notice would come with the next drain, once the stream has ended.
            Instant now = Instant.now();
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO execution_results (record_key, status,"
                        + " result_code, exit_code, start_time, end_time)"
                        + " SELECT record_key, 'SUCCESS', '0', 0, ?, ? FROM execution_records WHERE task_id = ?")) {
                    ps.setObject(1, Database.toDb(now));
                    ps.setObject(2, Database.toDb(now));
                    ps.setString(3, taskId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE execution_tasks SET status = 'SUCCESS',"
                        + " success_num = 1, end_time = ? WHERE id = ?")) {
                    ps.setObject(1, Database.toDb(now));
                    ps.setString(2, taskId);
                    ps.executeUpdate();
                }
                return null;
            });
            liveEvents.committed(new ExecutionChanges(Set.of(), Map.of(), Set.of(taskId), Set.of(taskId)));

            assertEquals("SUCCESS", nextRecord(stream).get("status").asText());
            SseClient.Event after = stream.next();
            while (after.name().equals("task")) {
                after = stream.next();
            }
            assertEquals("end", after.name());
        }
    }

    /** The next record event; task events (counts) and output events (issue 25) may come between. */
    private static JsonNode nextRecord(SseClient stream) throws InterruptedException {
        while (true) {
            SseClient.Event e = stream.next();
            if (e.name().equals("record")) {
                return e.data();
            }
            if (e.name().equals("output")) {
                continue;
            }
            assertEquals("task", e.name(), () -> "unexpected " + e);
        }
    }

    private static ControlMessage nextRun(TestAgent.Link link) throws InterruptedException {
        while (true) {
            ControlMessage m = link.received.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no command within 10 s");
            if (m.hasRun()) {
                return m;
            }
        }
    }

    @Test
    void unknownTaskIs404WithTheContractBody() throws Exception {
        try (SseClient stream = open("/script-execution-tasks/no-such-task/events", token(P))) {
            assertEquals(404, stream.status);
            JsonNode body = JSON.readTree(stream.errorBody);
            assertEquals("WKS.00210404", body.get("error_code").asText());
            assertTrue(body.has("error_msg"));
        }
    }

    @Test
    void streamsNeedAToken() throws Exception {
        try (SseClient task = open("/script-execution-tasks/any/events", null);
             SseClient project = open("/events", "not-a-token")) {
            assertEquals(401, task.status);
            assertEquals("WKS.00211302", JSON.readTree(task.errorBody).get("error_code").asText());
            assertEquals(401, project.status);
        }
    }

    @Test
    void projectStreamTellsWhenADesktopComesOnlineAndGoesOffline() throws Exception {
        RegisterResponse desktop = register("presence-pc");
        try (SseClient stream = open("/events", token(P))) {
            assertEquals(200, stream.status);
            TestAgent.Link link = connect(desktop);
            JsonNode online = nextDesktop(stream, desktop.getDesktopId());
            assertTrue(online.get("online").asBoolean());
            assertEquals(2, online.size(), () -> "only desktop_id and online: " + online);
            // Once the event is out, the listing agrees: it was sent after the commit.
            Response listed = get(P, "/desktops/" + desktop.getDesktopId());
            assertTrue(listed.body().get("desktop").get("agent_online").asBoolean());

            link.hangUp();
            assertEquals(false, nextDesktop(stream, desktop.getDesktopId()).get("online").asBoolean());
        }
    }

    private static JsonNode nextDesktop(SseClient stream, String desktopId) throws InterruptedException {
        while (true) {
            SseClient.Event e = stream.next();
            assertNull(e == SseClient.CLOSED ? "closed" : null, "stream closed early");
            if (e.name().equals("desktop") && e.data().get("desktop_id").asText().equals(desktopId)) {
                return e.data();
            }
        }
    }
}
