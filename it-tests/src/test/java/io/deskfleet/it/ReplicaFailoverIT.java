package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.InvocationLog;
import io.deskfleet.it.harness.PostgresServer;
import io.deskfleet.it.harness.Replicas;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 23: work crosses replicas. Six agents, two held by each replica (each given one replica's address), on one
 * PostgreSQL; tasks are posted to one replica and run on desktops the others hold; replicas are killed, paused and
 * restarted. One cluster for the class (starting one costs half a minute); the tests that kill a replica start it
 * again before they end, and run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaFailoverIT {
    static final String PROJECT = "proj-failover";
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Kept when a test fails: the replicas' and agents' logs are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static Replicas replicas;
    static Fleet fleet;
    static List<AgentProcess> agents;
    /** Agents given every replica's address (from the mid-gray kill on). */
    static List<AgentProcess> movers;
    /** Desktop id by agent name. */
    static final Map<String, String> ids = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        var binaries = PostgresServer.installedBinaries();
        assumeTrue(binaries.isPresent(), "no PostgreSQL server binaries under /usr/lib/postgresql");
        replicas = Replicas.start(binaries.get(), dir);
        RestClient api = replicas.replica(1).admin(PROJECT);
        fleet = Fleet.create(replicas.replica(1), api, dir, PROJECT, "failover-pool", 20);
        agents = fleet.startAgentsVia(replicas.spread(), "fo", 6);
        fleet.awaitOnline(6);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (replicas != null) {
            replicas.close();
        }
    }

    /**
     * Faults in a row: the task's owner is killed, and the replica that took the task over is killed right after
     * (while it resumes it); the last replica takes it over in turn, every agent ends up on it, and the task ends with
     * every desktop run once.
     */
    @Test
    @Order(7)
    void killingTheOwnerAndThenTheReplicaThatTookItOverLeavesTheTaskToTheLast() {
        assumeTrue(movers != null, "needs the failover agents of the mid-gray test");
        fleet.awaitOnline(12);
        // long enough to outlast both takeovers: a task whose results are all in already ends at the first one
        ObjectNode body = logged("sleep 30; echo done", movers);
        String taskId = on(1).onPool(fleet.poolId(), body);
        Await.until("running everywhere", PATIENCE, () -> on(2).records(taskId),
                records -> records.stream().allMatch(r -> r.get("status").asText().equals("RUNNING")));
        replicas.kill(1);
        String marker = "task=" + taskId + " taken over";
        int first = Await.until("a replica took the task over", Duration.ofSeconds(15),
                () -> replicas.replica(2).logText().contains(marker) ? 2
                        : replicas.replica(3).logText().contains(marker) ? 3 : 0, n -> n != 0);
        replicas.kill(first);
        int last = first == 2 ? 3 : 2;
        long killedAt = System.nanoTime();
        Await.until("the last replica took it over", Duration.ofSeconds(20),
                () -> replicas.replica(last).logText().contains(marker), taken -> taken);
        System.out.printf("taken over again %.1f s after the second kill%n", (System.nanoTime() - killedAt) / 1e9);
        Executions executions = on(last);
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        List<JsonNode> records = executions.records(taskId);
        assertEquals(6, records.size());
        Map<String, Integer> runs = InvocationLog.runs(movers);
        records.forEach(r -> assertEquals(1, runs.getOrDefault(r.get("id").asText(), 0), "ran once: " + r));
        replicas.restart(1);
        replicas.restart(first);
    }

    /** The pinned agents whose stream the replica holds (by their own logs). */
    static List<AgentProcess> heldBy(int replica) {
        return agents.stream().filter(agent -> holder(agent) == replica).toList();
    }

    static Executions on(int replica) {
        return new Executions(replicas.replica(replica).admin(PROJECT), PROJECT);
    }

    static ObjectNode logged(String command, List<AgentProcess> targets) {
        ObjectNode body = Executions.command(InvocationLog.appendId() + "; " + command);
        var desktops = body.putArray("desktop_ids");
        targets.forEach(agent -> desktops.add(desktopId(agent)));
        return body;
    }

    /** The agent's desktop id, read from the pool's desktops the first time an agent is asked about. */
    static String desktopId(AgentProcess agent) {
        if (!ids.containsKey(agent.name())) {
            for (JsonNode desktop : fleet.desktops().get("desktops")) {
                ids.put(desktop.get("computer_name").asText(), desktop.get("desktop_id").asText());
            }
        }
        return ids.get(agent.name());
    }

    /** Every desktop of the task ran its invocation exactly once, by the agents' own logs. */
    static void ranOnce(String taskId, List<JsonNode> records) {
        Map<String, Integer> runs = InvocationLog.runs(agents);
        for (JsonNode record : records) {
            assertEquals(1, runs.getOrDefault(record.get("id").asText(), 0), "ran once: " + record);
        }
        assertTrue(InvocationLog.repeated(runs).isEmpty(), "nothing ran twice: " + runs);
    }

    @Test
    @Order(1)
    void aGrayTaskPostedOnReplicaOneRunsOnDesktopsHeldByAllThree() {
        Executions executions = on(1);
        ObjectNode body = logged("echo from-$(hostname)", agents).put("gray_count", 1).put("gray_fail_threshold", 1);
        String taskId = executions.onPool(fleet.poolId(), body);
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(6, task.get("success_num").asInt(), task.toString());
        List<JsonNode> records = executions.records(taskId);
        assertEquals(6, records.size());
        records.forEach(r -> assertTrue(r.get("output").asText().startsWith("from-"), r.toString()));
        ranOnce(taskId, records);
    }

    @Test
    @Order(2)
    void stopPostedOnReplicaThreeKillsCommandsOnDesktopsHeldByOneAndTwo() {
        List<AgentProcess> targets = new ArrayList<>(heldBy(1));
        targets.addAll(heldBy(2));
        String taskId = on(1).onPool(fleet.poolId(), logged("sleep 60", targets));
        Await.until("all four running", PATIENCE, () -> on(1).records(taskId),
                records -> records.stream().allMatch(r -> r.get("status").asText().equals("RUNNING")));
        long stoppedAt = System.nanoTime();
        on(3).stop(taskId).expect(200);
        Executions executions = on(2);
        assertEquals("CANCELLED", executions.task(taskId).get("status").asText(), "a read right after the stop");
        Await.until("every desktop's command killed", Duration.ofSeconds(20), () -> executions.records(taskId),
                records -> records.stream().allMatch(r -> r.get("status").asText().equals("CANCELLED")
                        && !r.path("end_time").isMissingNode()));
        assertTrue(System.nanoTime() - stoppedAt < Duration.ofSeconds(20).toNanos());
        for (AgentProcess agent : targets) {
            Await.until(agent.name() + " killed its command", Duration.ofSeconds(20), agent::logText,
                    log -> log.contains("cancelling " + taskId));
        }
    }

    @Test
    @Order(3)
    void aDesktopRevokedOnReplicaOneIsCutOffOnReplicaTwo() {
        // not one of the fleet's agents, which later tests count online
        AgentProcess extra = AgentProcess.start(replicas.server(2), dir, PROJECT, fleet.activation(), "revoked-1");
        JsonNode desktop = Await.until("the extra desktop online", PATIENCE, fleet::desktops,
                d -> d.get("desktops").findValuesAsText("computer_name").contains(extra.name())
                        && Fleet.onlineCount(d) == 7);
        String id = null;
        for (JsonNode d : desktop.get("desktops")) {
            if (d.get("computer_name").asText().equals(extra.name())) {
                id = d.get("desktop_id").asText();
            }
        }
        replicas.replica(1).admin(PROJECT).delete("/v2/" + PROJECT + "/desktops/" + id).expect(200);
        Integer exit = extra.waitForExit(Duration.ofSeconds(15));
        assertTrue(exit != null, "the revoked agent's stream on replica 2 was cut: it stopped");
        assertTrue(extra.logText().contains("DESKTOP_REVOKED"), extra.logText());
        extra.close();
    }

    @Test
    @Order(4)
    void aPausedOwnerPastItsLeaseLosesTheTaskAndWritesNothingMore() throws Exception {
        // desktops held by 2 and 3 only: their results reach whoever owns the task
        List<AgentProcess> targets = new ArrayList<>(heldBy(2));
        targets.addAll(heldBy(3));
        String taskId = on(1).onPool(fleet.poolId(), logged("sleep 4; echo done", targets));
        replicas.suspend(1);
        long pausedAt = System.nanoTime();
        try {
            JsonNode task = on(2).awaitTerminal(taskId, PATIENCE);
            assertEquals("SUCCESS", task.get("status").asText(), "finished by the replica that took it over");
            assertTrue(System.nanoTime() - pausedAt < Duration.ofSeconds(30).toNanos());
        } finally {
            replicas.resume(1);
        }
        Await.until("replica 1 knows it lost the task", PATIENCE, () -> counter(1, "deskfleet_task_leases_lost_total"),
                lost -> lost >= 1);
        Thread.sleep(3_000); // what the resumed replica would still write, it would write now
        List<JsonNode> records = on(3).records(taskId);
        assertEquals(4, records.size());
        records.forEach(r -> assertEquals("SUCCESS", r.get("status").asText(), r.toString()));
        assertEquals("SUCCESS", on(1).task(taskId).get("status").asText());
        ranOnce(taskId, records);
    }

    @Test
    @Order(5)
    void killingTheTaskOwnerHandsTheTaskToAnotherReplicaWithinFifteenSeconds() {
        List<AgentProcess> targets = new ArrayList<>(heldBy(2));
        targets.addAll(heldBy(3));
        String taskId = on(1).onPool(fleet.poolId(), logged("sleep 6; echo done", targets));
        Await.until("running", PATIENCE, () -> on(2).records(taskId),
                records -> records.stream().allMatch(r -> r.get("status").asText().equals("RUNNING")));
        replicas.kill(1);
        long killedAt = System.nanoTime();
        Await.until("another replica took the task over", Duration.ofSeconds(15),
                () -> replicas.replica(2).logText() + replicas.replica(3).logText(),
                logs -> logs.contains("task=" + taskId + " taken over"));
        System.out.printf("task taken over %.1f s after the owner was killed%n", (System.nanoTime() - killedAt) / 1e9);
        JsonNode task = on(2).awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        List<JsonNode> records = on(3).records(taskId);
        assertEquals(4, records.size());
        ranOnce(taskId, records);
        replicas.restart(1);
        fleet.awaitOnline(6);
    }

    /**
     * Agents given every replica's address (shuffled per agent) are spread over the replicas; the one holding some of
     * them is killed while the gray batch runs: they are back on the others within seconds, and the rollout ends
     * with every desktop run once.
     */
    @Test
    @Order(6)
    void killingAReplicaHoldingAgentsMidGrayMovesThemAndTheRolloutFinishes() {
        movers = fleet.startAgentsVia(n -> replicas.allServers(), "mv", 6);
        Map<Integer, List<AgentProcess>> byReplica = new HashMap<>();
        for (AgentProcess agent : movers) {
            byReplica.computeIfAbsent(holder(agent), r -> new ArrayList<>()).add(agent);
        }
        // the replica holding the most of them, but not the task's owner
        int victim = byReplica.getOrDefault(2, List.of()).size() >= byReplica.getOrDefault(3, List.of()).size() ? 2 : 3;
        List<AgentProcess> moved = byReplica.getOrDefault(victim, List.of());
        assumeTrue(!moved.isEmpty(), "no agent chose replica 2 or 3: " + byReplica.keySet());
        List<String> names = movers.stream().map(AgentProcess::name).toList();
        ObjectNode body = logged("sleep 3; echo done", movers).put("gray_count", 2).put("gray_fail_threshold", 2);
        Executions executions = on(1);
        String taskId = executions.onPool(fleet.poolId(), body);
        Await.until("the gray batch running", PATIENCE, () -> executions.records(taskId),
                records -> records.stream().anyMatch(r -> r.get("status").asText().equals("RUNNING")));
        replicas.kill(victim);
        long killedAt = System.nanoTime();
        Await.until("the moved agents online elsewhere", Duration.ofSeconds(30), fleet::desktops, detail -> {
            for (JsonNode d : detail.get("desktops")) {
                if (names.contains(d.get("computer_name").asText()) && !d.get("agent_online").asBoolean()) {
                    return false;
                }
            }
            return moved.stream().allMatch(agent -> holder(agent) != victim);
        });
        System.out.printf("%d agents of replica %d back on others %.1f s after it was killed%n", moved.size(), victim,
                (System.nanoTime() - killedAt) / 1e9);
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        List<JsonNode> records = executions.records(taskId);
        assertEquals(6, records.size());
        Map<String, Integer> runs = InvocationLog.runs(movers);
        records.forEach(r -> assertEquals(1, runs.getOrDefault(r.get("id").asText(), 0), "ran once: " + r));
        replicas.restart(victim);
    }

    private static final Pattern CONNECTED = Pattern.compile("(?m) INFO connected as \\S+ to (\\S+)");

    /** The replica an agent's last stream went to, from its log ("connected as DESKTOP to HOST:PORT"). */
    static int holder(AgentProcess agent) {
        String log = Await.until(agent.name() + " connected", PATIENCE, agent::logText,
                text -> CONNECTED.matcher(text).find());
        Matcher m = CONNECTED.matcher(log);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        for (int n = 1; n <= Replicas.COUNT; n++) {
            if (replicas.server(n).equals(last)) {
                return n;
            }
        }
        throw new AssertionError(agent.name() + " connected to no replica: " + last);
    }

    /** The sum of a counter's series on a replica's /prometheus (0 when absent). */
    static double counter(int replica, String name) {
        try {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(
                    URI.create(replicas.replica(replica).baseUrl() + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(scrape.body());
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
