package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.InvocationLog;
import io.deskfleet.it.harness.RestClient;
import io.deskfleet.it.harness.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real agents killed, stopped or cut off from the control plane in the middle of a command. Each test has its own
 * agent (so the tests run concurrently: the slowest waits out an execution timeout of one minute), two of them
 * behind a {@link TcpProxy}, and each command
 * writes its invocation id to its desktop's log ({@link InvocationLog}), so a second run would show.
 *
 * <p>Windows, all short: heartbeats 1 s, offline after 3 s (the harness's), delivery window 5 s, result grace 3 s.
 * So a started command whose agent never reports ends TIMEOUT 1 min + 3 s after it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class AgentFaultIT {
    static final String PROJECT = "proj-agent-fault";
    static final Duration DELIVERY_WINDOW = Duration.ofSeconds(5);
    static final Duration RESULT_GRACE = Duration.ofSeconds(3);
    static final Duration EXECUTION_TIMEOUT = Duration.ofMinutes(1);
    /** Scheduling slack on a busy machine: the engine checks deadlines every 250 ms, writes take their time. */
    static final Duration SLACK = Duration.ofSeconds(15);
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    ControlPlaneProcess cp;
    Fleet fleet;
    Executions executions;
    final Queue<AutoCloseable> resources = new ConcurrentLinkedQueue<>();
    final Map<String, Desktop> desktops = new HashMap<>();
    final Map<String, TcpProxy> proxies = new HashMap<>();

    @BeforeAll
    void start() {
        cp = new ControlPlaneProcess(dir)
                .withEnv("DESKFLEET_EXECUTION_DELIVERY_WINDOW", DELIVERY_WINDOW.toSeconds() + "s")
                .withEnv("DESKFLEET_EXECUTION_RESULT_GRACE", RESULT_GRACE.toSeconds() + "s")
                .start();
        RestClient api = cp.admin(PROJECT);
        executions = new Executions(api, PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "fault-pool", 10);
        for (String name : List.of("killed", "restarted", "sigterm")) {
            desktops.put(name, startAgent(name, cp.grpcTarget()));
        }
        for (String name : List.of("paused", "dropped")) {
            TcpProxy proxy = new TcpProxy(cp.grpcPort());
            resources.add(proxy);
            proxies.put(name, proxy);
            desktops.put(name, startAgent(name, proxy.address()));
        }
        desktops.values().forEach(desktop -> awaitOnline(desktop, true));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        cp.close();
    }

    @Test
    void agentKilledMidCommandEndsTimeoutWithinTheTimeoutAndShowsOffline() {
        Desktop desktop = desktops.get("killed");
        Running run = runOn(desktop, "sleep 120; echo never");

        desktop.agent.kill();
        awaitOnline(desktop, false);
        JsonNode task = executions.awaitTerminal(run.taskId, EXECUTION_TIMEOUT.plus(RESULT_GRACE).plus(SLACK)
                .plus(Duration.ofSeconds(10)));
        Duration took = Duration.between(run.posted, Instant.now());
        assertTrue(took.compareTo(EXECUTION_TIMEOUT.plus(RESULT_GRACE).plus(DELIVERY_WINDOW).plus(SLACK)) <= 0,
                "ended after " + took);
        assertEquals("FAILED", task.get("status").asText(), task.toString());
        assertEquals(1, task.get("failed_num").asInt(), task.toString());
        JsonNode record = executions.records(run.taskId).get(0);
        assertEquals("TIMEOUT", record.get("status").asText(), record.toString());
        assertEquals(List.of(run.invocationId), InvocationLog.of(desktop.agent));
    }

    @Test
    void killedAgentRestartedReportsInterruptedAndDoesNotRunTheCommandAgain() {
        Desktop desktop = desktops.get("restarted");
        Running run = runOn(desktop, "sleep 120; echo never");

        desktop.agent.kill();
        awaitOnline(desktop, false);
        AgentProcess again = restart(desktop);
        awaitOnline(desktop, true);

        JsonNode task = executions.awaitTerminal(run.taskId, PATIENCE);
        assertEquals("FAILED", task.get("status").asText(), task.toString());
        JsonNode record = executions.records(run.taskId).get(0);
        assertEquals("FAILED", record.get("status").asText(), record.toString());
        assertEquals("INTERRUPTED", record.get("result_code").asText(), record.toString());
        assertEquals(List.of(run.invocationId), InvocationLog.of(again), "the command ran once");
    }

    @Test
    void sigtermMidCommandEndsInterruptedAndNeverRunsAgain() {
        Desktop desktop = desktops.get("sigterm");
        Running run = runOn(desktop, "sleep 120; echo never");

        assertEquals(143, desktop.agent.terminate(), "exit status after SIGTERM");
        awaitOnline(desktop, false);
        // The INTERRUPTED result is spooled before the agent exits; it goes out then if the stream is still up,
        // else with the next start, so the restart comes before the wait.
        AgentProcess again = restart(desktop);
        JsonNode task = executions.awaitTerminal(run.taskId, PATIENCE);
        JsonNode record = executions.records(run.taskId).get(0);
        assertEquals("FAILED", record.get("status").asText(), record.toString());
        assertEquals("INTERRUPTED", record.get("result_code").asText(), record.toString());
        assertEquals("FAILED", task.get("status").asText(), task.toString());
        awaitOnline(desktop, true);
        assertEquals(List.of(run.invocationId), InvocationLog.of(again), "the command ran once");
    }

    @Test
    void resultFinishedWhileTheStreamIsSilentIsDeliveredOnceAfterThePartition() {
        TcpProxy proxy = proxies.get("paused");
        Desktop desktop = desktops.get("paused");
        Running run = runOn(desktop, "sleep 8; echo partitioned");

        // Both sockets stay open, nothing gets through: the control plane hears nothing past the offline threshold.
        proxy.pause();
        awaitOnline(desktop, false);
        awaitSpooled(desktop, run);
        assertEquals("RUNNING", executions.records(run.taskId).get(0).get("status").asText());
        proxy.resume();

        assertDeliveredOnce(desktop, run, "partitioned");
        awaitOnline(desktop, true);
    }

    @Test
    void resultFinishedWhileConnectionsAreRefusedIsDeliveredOnceAfterwards() {
        TcpProxy proxy = proxies.get("dropped");
        Desktop desktop = desktops.get("dropped");
        Running run = runOn(desktop, "sleep 8; echo dropped");

        // Every connection closed and every reconnect refused until resume.
        proxy.drop();
        awaitOnline(desktop, false);
        awaitSpooled(desktop, run);
        proxy.resume();

        assertDeliveredOnce(desktop, run, "dropped");
        awaitOnline(desktop, true);
    }

    private void assertDeliveredOnce(Desktop desktop, Running run, String output) {
        JsonNode task = executions.awaitTerminal(run.taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        JsonNode record = executions.records(run.taskId).get(0);
        assertEquals("SUCCESS", record.get("status").asText(), record.toString());
        assertEquals(output, record.get("output").asText().strip(), record.toString());
        Path spooled = spool(desktop, run);
        Await.until("the result acknowledged", PATIENCE, () -> Files.exists(spooled), exists -> !exists);
        assertTrue(Files.exists(spooled.resolveSibling("acked")));
        assertEquals(List.of(run.invocationId), InvocationLog.of(desktop.agent), "the command ran once");
    }

    private void awaitSpooled(Desktop desktop, Running run) {
        Path spooled = spool(desktop, run);
        Await.until("the result spooled while cut off", PATIENCE, () -> Files.exists(spooled), exists -> exists);
    }

    private static Path spool(Desktop desktop, Running run) {
        return desktop.agent.stateDir().resolve("invocations").resolve(run.invocationId).resolve("result.pb");
    }

    /** One agent (its own desktop, registered beforehand) through server. */
    private Desktop startAgent(String name, String server) {
        AgentProcess agent = AgentProcess.startRegistered(cp, server, dir, PROJECT, fleet.activation(), name);
        resources.add(agent);
        String desktopId = Await.until(name + " registered", PATIENCE, () -> desktopNamed(name), d -> d != null)
                .get("desktop_id").asText();
        return new Desktop(agent, desktopId, name, server);
    }

    private AgentProcess restart(Desktop desktop) {
        desktop.agent = AgentProcess.start(desktop.server, dir, PROJECT, fleet.activation(), desktop.name);
        resources.add(desktop.agent);
        return desktop.agent;
    }

    private JsonNode desktopNamed(String name) {
        for (JsonNode d : fleet.desktops().get("desktops")) {
            if (d.get("computer_name").asText().equals(name)) {
                return d;
            }
        }
        return null;
    }

    private void awaitOnline(Desktop desktop, boolean online) {
        Await.until(desktop.name + (online ? " online" : " offline"), PATIENCE,
                () -> desktopNamed(desktop.name).get("agent_online").asBoolean(), o -> o == online);
    }

    /** Starts a command that logs its invocation id and then runs rest; returns once the control plane saw it start. */
    private Running runOn(Desktop desktop, String rest) {
        Instant posted = Instant.now();
        String taskId = executions.onPool(fleet.poolId(), Executions.command(InvocationLog.appendId() + "; " + rest)
                .set("desktop_ids", RestClient.JSON.createArrayNode().add(desktop.id)));
        String invocationId = executions.records(taskId).get(0).get("id").asText();
        Await.until("the command started", PATIENCE, () -> executions.records(taskId).get(0).get("status").asText(),
                "RUNNING"::equals);
        Await.until("the command logged", PATIENCE, () -> InvocationLog.of(desktop.agent),
                ids -> ids.contains(invocationId));
        return new Running(taskId, invocationId, posted);
    }

    private static final class Desktop {
        AgentProcess agent;
        final String id;
        final String name;
        final String server;

        Desktop(AgentProcess agent, String id, String name, String server) {
            this.agent = agent;
            this.id = id;
            this.name = name;
            this.server = server;
        }
    }

    private record Running(String taskId, String invocationId, Instant posted) {
    }
}
