package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistrationIT {
    static final String PROJECT = "proj-reg";
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void agentsRegisterIntoThePoolAndComeOnline() {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-online", 3)) {
            fleet.startAgents("online", 3, "team=qa", "site=lab");
            JsonNode detail = fleet.awaitOnline(3);
            assertEquals(3, detail.get("total_count").asInt());
            Set<String> names = new HashSet<>();
            for (JsonNode desktop : detail.get("desktops")) {
                names.add(desktop.get("computer_name").asText());
                assertEquals(fleet.poolId(), desktop.get("desktop_pool_id").asText());
                assertEquals("ACTIVE", desktop.get("status").asText());
                assertTrue(desktop.hasNonNull("last_heartbeat_time"), desktop.toString());
                assertTrue(desktop.get("tags").toString().contains("\"key\":\"team\""), desktop.toString());
            }
            assertEquals(Set.of("online-1", "online-2", "online-3"), names);

            JsonNode pool = api.get("/v2/" + PROJECT + "/desktop-pools/" + fleet.poolId()).expect(200);
            assertEquals(3, pool.get("desktop_count").asInt(), pool.toString());
            JsonNode byTag = api.get("/v2/" + PROJECT + "/desktops/detail?tag=team=qa").expect(200);
            assertEquals(3, byTag.get("total_count").asInt());
            assertEquals(0, api.get("/v2/" + PROJECT + "/desktops/detail?tag=team=ops").expect(200)
                    .get("total_count").asInt());
        }
    }

    @Test
    void heartbeatsKeepAdvancingLastHeartbeatTime() {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-heartbeat", 1)) {
            fleet.startAgents("beat", 1);
            String id = fleet.desktops().get("desktops").get(0).get("desktop_id").asText();
            Instant first = heartbeat(id);
            Await.until("a later heartbeat", Duration.ofSeconds(15), () -> heartbeat(id), t -> t.isAfter(first));
        }
    }

    @Test
    void activationIsRefusedPastItsRegistrationLimit() {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-limit", 2)) {
            fleet.startAgents("limit", 2);
            AgentProcess extra = AgentProcess.start(cp, dir, PROJECT, fleet.activation(), "limit-extra");
            Integer code = extra.waitForExit(Duration.ofSeconds(30));
            assertEquals(6, code, "a used-up activation exits 6; log:\n" + extra.logText());
            assertTrue(extra.logText().contains("registration limit is reached"), extra.logText());
            assertEquals(2, fleet.desktops().get("total_count").asInt());
        }
    }

    @Test
    void restartedAgentReattachesToTheSameDesktop() {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-restart", 2)) {
            List<AgentProcess> agents = fleet.startAgents("re", 2);
            Map<String, String> before = idsByName(fleet.desktops());
            AgentProcess restarted = fleet.restart(agents.get(0));
            fleet.awaitOnline(2);
            assertEquals(before, idsByName(fleet.desktops()), "same desktops, no new one");
            assertTrue(restarted.isAlive(), restarted.logText());
        }
    }

    @Test
    void killedAgentIsMarkedOfflineWhileOthersStayOnline() {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-kill", 2)) {
            List<AgentProcess> agents = fleet.startAgents("kill", 2);
            agents.get(0).kill();
            JsonNode detail = Await.until("one desktop offline", Duration.ofSeconds(20), fleet::desktops,
                    d -> Fleet.onlineCount(d) == 1);
            for (JsonNode desktop : detail.get("desktops")) {
                boolean online = desktop.get("agent_online").asBoolean();
                assertEquals(!desktop.get("computer_name").asText().equals("kill-1"), online, desktop.toString());
            }
        }
    }

    @Test
    void streamWithAForgedCredentialIsRefused() throws Exception {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-forged", 1)) {
            fleet.startAgents("victim", 1);
            String victimId = fleet.desktops().get("desktops").get(0).get("desktop_id").asText();
            Status status = connectWith(victimId, "forged-credential-" + victimId);
            assertEquals(Status.Code.UNAUTHENTICATED, status.getCode(), status.toString());
            Status unknown = connectWith("no-such-desktop", "whatever");
            assertEquals(Status.Code.UNAUTHENTICATED, unknown.getCode(), unknown.toString());
            // the real agent is not disturbed by the impostor
            assertEquals(1, Fleet.onlineCount(fleet.desktops()));
        }
    }

    @Test
    void anotherDesktopsRealCredentialIsRefused() throws Exception {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-swap", 2)) {
            List<AgentProcess> agents = fleet.startAgents("swap", 2);
            Properties second = new Properties();
            try (var in = Files.newInputStream(agents.get(1).stateDir().resolve("credential.properties"))) {
                second.load(in);
            }
            String secondId = second.getProperty("desktop_id");
            String firstId = idsByName(fleet.desktops()).get("swap-1");
            assertNotEquals(firstId, secondId);
            Status status = connectWith(firstId, second.getProperty("desktop_credential"));
            assertEquals(Status.Code.UNAUTHENTICATED, status.getCode(), status.toString());
            assertEquals(Status.Code.OK, connectWith(secondId, second.getProperty("desktop_credential")).getCode(),
                    "the same credential is accepted for its own desktop");
        }
    }

    @Test
    void revokingADesktopClosesItsStreamAndStopsItsAgent() {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-revoke", 2)) {
            List<AgentProcess> agents = fleet.startAgents("rv", 2);
            String revoked = idsByName(fleet.desktops()).get("rv-1");
            api.delete("/v2/" + PROJECT + "/desktops/" + revoked).expect(200);
            assertEquals(3, agents.get(0).waitForExit(Duration.ofSeconds(20)),
                    "the agent is told at once and stops; log:\n" + agents.get(0).logText());
            api.get("/v2/" + PROJECT + "/desktops/" + revoked).expect(404);
            JsonNode left = fleet.desktops();
            assertEquals(1, left.get("total_count").asInt(), left.toString());
            assertEquals(1, api.get("/v2/" + PROJECT + "/desktop-pools/" + fleet.poolId()).expect(200)
                    .get("desktop_count").asInt());
            api.delete("/v2/" + PROJECT + "/desktops/" + revoked).expect(404);
            // a restart of the revoked agent is refused too
            AgentProcess again = fleet.restart(agents.get(0));
            assertEquals(3, again.waitForExit(Duration.ofSeconds(20)), again.logText());
            assertTrue(agents.get(1).isAlive(), "the other desktop is untouched");
        }
    }

    private static Status connectWith(String desktopId, String credential) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget(cp.grpcTarget()).usePlaintext().build();
        try {
            CompletableFuture<Status> closed = new CompletableFuture<>();
            StreamObserver<AgentMessage> requests = AgentLinkGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(ControlMessage value) {
                    if (value.hasWelcome()) {
                        closed.complete(Status.OK.withDescription("welcomed"));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    closed.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    closed.complete(Status.OK);
                }
            });
            requests.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder()
                    .setDesktopId(desktopId).setDesktopCredential(credential).setBootId("impostor")).build());
            return closed.get(15, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Instant heartbeat(String desktopId) {
        JsonNode desktop = api.get("/v2/" + PROJECT + "/desktops/" + desktopId).expect(200).get("desktop");
        assertFalse(desktop.get("last_heartbeat_time").isNull(), desktop.toString());
        return Instant.parse(desktop.get("last_heartbeat_time").asText());
    }

    private static Map<String, String> idsByName(JsonNode detail) {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode desktop : detail.get("desktops")) {
            assertNotEquals("", desktop.get("desktop_id").asText());
            ids.put(desktop.get("computer_name").asText(), desktop.get("desktop_id").asText());
        }
        return ids;
    }
}
