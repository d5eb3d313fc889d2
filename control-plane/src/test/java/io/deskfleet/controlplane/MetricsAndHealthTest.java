package io.deskfleet.controlplane;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.agent.v1.RegisterResponse;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /prometheus and /health/* as a scraper and an orchestrator see them (no token), while real tasks run on agents
 * over gRPC: the gauge follows the open streams, the counters follow the records the API reports.
 */
@MicronautTest(transactional = false)
class MetricsAndHealthTest extends ControlPlaneTestBase {
    private static final String P = "proj-metrics";

    private final List<TestAgent.Link> links = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private TestAgent agent;
    private String poolId;

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "metrics-pool");
        // offline-after is 2 s in tests: keep the agents alive like the real one does.
        heartbeats.scheduleWithFixedDelay(() -> links.forEach(TestAgent.Link::heartbeat), 0, 200,
                TimeUnit.MILLISECONDS);
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        heartbeats.shutdownNow();
        agent.close();
    }

    @Test
    void metricsFollowAgentsAndTasks() throws Exception {
        Map<String, Double> before = scrape();
        assertEquals(0.0, before.get("deskfleet_agents_connected"));

        String desktopA = register("pc-a");
        TestAgent.Link a = connect(desktopA);
        await("one agent counted", () -> value("deskfleet_agents_connected") == 1.0);

        String ok = run("{\"command_content\":\"true\",\"command_type\":\"SHELL\",\"desktop_ids\":[\"" + desktopA
                + "\"]}");
        answer(a, 0);
        awaitTask(ok, "SUCCESS");
        String failed = run("{\"command_content\":\"false\",\"command_type\":\"SHELL\",\"desktop_ids\":[\""
                + desktopA + "\"]}");
        answer(a, 1);
        awaitTask(failed, "FAILED");
        assertEquals(1.0, invocations("SUCCESS"));
        assertEquals(1.0, invocations("FAILED"));
        assertEquals(0.0, value("deskfleet_rollout_halts_total"));

        String desktopB = register("pc-b");
        TestAgent.Link b = connect(desktopB);
        await("two agents counted", () -> value("deskfleet_agents_connected") == 2.0);
        // B is the gray batch and fails: threshold 1 is reached, A never runs.
        String halted = run("{\"command_content\":\"false\",\"command_type\":\"SHELL\",\"desktop_ids\":[\""
                + desktopA + "\",\"" + desktopB + "\"],\"gray_desktop_ids\":[\"" + desktopB
                + "\"],\"gray_fail_threshold\":1}");
        answer(b, 3);
        awaitTask(halted, "FAILED");
        JsonRecords records = records(halted);
        assertEquals(List.of("FAILED", "SKIPPED"), records.statuses());
        await("records counted", () -> invocations("SKIPPED") == 1.0);
        assertEquals(2.0, invocations("FAILED"));
        assertEquals(1.0, invocations("SUCCESS"));
        assertEquals(1.0, value("deskfleet_rollout_halts_total"));
        assertTrue(a.received.stream().noneMatch(ControlMessage::hasRun), "A was skipped, never sent a command");

        // one sample per task that started: the three tasks above
        assertEquals(3.0, value("deskfleet_dispatch_latency_seconds_count"));

        links.remove(b);
        b.hangUp();
        await("back to one agent", () -> value("deskfleet_agents_connected") == 1.0);
    }

    @Test
    void triggeredFireLatenessIsTimed() {
        String desktop = register("pc-fire");
        Response task = post(P, "/scheduled-tasks", "{\"task_name\":\"late?\",\"task_type\":\"REBOOT\","
                + "\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_REBUILD_DESKTOP_SUCCESS\","
                + "\"apply_objects\":[{\"object_type\":\"DESKTOP\",\"object_id\":\"" + desktop + "\"}]}");
        assertEquals(200, task.status(), task.toString());
        assertEquals(0.0, value("deskfleet_schedule_lateness_seconds_count"));
        assertEquals(200, post(P, "/desktops/" + desktop + "/rebuild", "{}").status());
        await("the fire timed", () -> value("deskfleet_schedule_lateness_seconds_count") == 1.0);
        // the poller looks every 500 ms: a fire due now starts within about that
        double late = value("deskfleet_schedule_lateness_seconds_sum");
        assertTrue(late >= 0 && late < 5, "lateness " + late);
    }

    @Test
    void readinessAndLivenessAreUpWithoutAToken() {
        Response ready = call(HttpRequest.GET("/health/readiness"));
        assertEquals(200, ready.status(), () -> "readiness " + ready);
        assertEquals("UP", ready.body().get("status").asText());
        assertEquals("UP", ready.body().at("/details/database-migrations/status").asText(), ready.toString());
        assertEquals("UP", ready.body().at("/details/agent-link/status").asText(), ready.toString());
        assertEquals(agentLink.port(), ready.body().at("/details/agent-link/details/port").asInt());
        Response live = call(HttpRequest.GET("/health/liveness"));
        assertEquals(200, live.status(), () -> "liveness " + live);
        assertEquals("UP", live.body().get("status").asText());
        assertEquals(404, call(HttpRequest.GET("/metrics")).status(), "only the Prometheus format is served");
    }

    /** A single control plane (no DESKFLEET_REPLICA_ID) says so on every series, and once on its own. */
    @Test
    void everySeriesNamesTheReplica() {
        List<String> samples = sampleLines();
        assertTrue(samples.size() > 10, "JVM and Deskfleet meters: " + samples);
        samples.forEach(line -> assertTrue(line.contains("replica=\"single\""), line));
        assertEquals(List.of("deskfleet_replica_info{replica=\"single\"} 1"),
                samples.stream().filter(line -> line.startsWith("deskfleet_replica_info")).toList());
    }

    private String register(String name) {
        String[] activation = createActivation(P, poolId, 1);
        RegisterResponse reg = agent.register(P, activation[0], activation[1], poolId, name, Map.of());
        credentials.put(reg.getDesktopId(), reg.getDesktopCredential());
        return reg.getDesktopId();
    }

    private final Map<String, String> credentials = new java.util.concurrent.ConcurrentHashMap<>();

    private TestAgent.Link connect(String desktopId) throws InterruptedException {
        TestAgent.Link link = agent.connect(desktopId, credentials.get(desktopId));
        assertTrue(link.next().hasWelcome());
        links.add(link);
        await("online", () -> get(P, "/desktops/" + desktopId).body().at("/desktop/agent_online").asBoolean());
        return link;
    }

    private String run(String body) {
        Response r = post(P, "/desktop-pools/" + poolId + "/script-executions", body);
        assertEquals(200, r.status(), () -> "execution " + r);
        return r.body().get("task_id").asText();
    }

    /** Takes the next RunCommand on the link and reports it exited with {@code exitCode}. */
    private static void answer(TestAgent.Link link, int exitCode) throws InterruptedException {
        ControlMessage message;
        do {
            message = link.next();
        } while (!message.hasRun());
        RunCommand run = message.getRun();
        long now = System.currentTimeMillis();
        link.send(AgentMessage.newBuilder().setResult(InvocationResult.newBuilder()
                .setInvocationId(run.getInvocationId()).setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setExitCode(exitCode)
                .setStartedAtUnixMs(now).setFinishedAtUnixMs(now)).build());
    }

    private void awaitTask(String taskId, String status) {
        await("task " + taskId + " " + status, () -> status.equals(
                get(P, "/script-execution-tasks?task_id=" + taskId).body().at("/script_tasks/0/status")
                        .asText()));
    }

    private record JsonRecords(List<String> statuses) {
    }

    private JsonRecords records(String taskId) {
        Response r = get(P, "/script-execution-records?script_task_id=" + taskId);
        List<String> statuses = new ArrayList<>();
        r.body().get("script_records").forEach(n -> statuses.add(n.get("status").asText()));
        statuses.sort(null);
        return new JsonRecords(statuses);
    }

    private double invocations(String status) {
        return value("deskfleet_invocations_total{status=\"" + status + "\"}");
    }

    private double value(String series) {
        Double v = scrape().get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in /prometheus");
        }
        return v;
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$");
    /** The tag {@link #everySeriesNamesTheReplica} checks; the other tests name series without it. */
    private static final Pattern REPLICA_TAG = Pattern.compile("replica=\"single\",?|,replica=\"single\"");

    /** The Prometheus text exposition, fetched without a token, as series (without the replica tag) to value. */
    private Map<String, Double> scrape() {
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : sampleLines()) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                samples.put(REPLICA_TAG.matcher(m.group(1)).replaceFirst("").replace("{}", ""),
                        Double.parseDouble(m.group(2)));
            }
        }
        return samples;
    }

    /** The exposition's sample lines, without the # HELP and # TYPE lines. */
    private List<String> sampleLines() {
        String text = http.toBlocking().retrieve(HttpRequest.GET("/prometheus"));
        return text.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
}
