package io.deskfleet.controlplane.agentlink;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.PowerStateChanged;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.link.LinkStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class AgentLinkTest extends ControlPlaneTestBase {
    private static final String P = "agents";

    @Inject
    Database db;
    @Inject
    RecordingListener listener;
    @Inject
    MeterRegistry meters;

    private TestAgent agent;
    private String poolId;

    /**
     * Records what listeners hear; holds back result acknowledgement until the test releases it. Only in this
     * test's context: elsewhere it would hold back every ResultAck.
     */
    @Singleton
    @Requires(property = "spec.name", value = "AgentLinkTest")
    static class RecordingListener implements AgentEventListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> resultStored = new CompletableFuture<>();

        @Override
        public void onRegistered(String desktopId) {
            events.add("registered:" + desktopId);
        }

        @Override
        public void onConnected(String desktopId, io.deskfleet.agent.v1.Hello hello) {
            events.add("connected:" + desktopId);
        }

        @Override
        public void onDisconnected(String desktopId) {
            events.add("disconnected:" + desktopId);
        }

        @Override
        public CompletionStage<Void> onResult(String desktopId, InvocationResult result) {
            events.add("result:" + result.getInvocationId());
            return resultStored;
        }
    }

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("spec.name", "AgentLinkTest");
        return properties;
    }

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "agents-pool");
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        agent.close();
    }

    private RegisterResponse register(String name) {
        String[] activation = createActivation(P, poolId, 1);
        return agent.register(P, activation[0], activation[1], poolId, name, Map.of("env", "test"));
    }

    /** A stream past its Welcome, with the desktop shown online. */
    private TestAgent.Link online(RegisterResponse reg) throws InterruptedException {
        TestAgent.Link link = agent.connect(reg.getDesktopId(), reg.getDesktopCredential());
        link.next();
        await("online", () -> desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        return link;
    }

    private JsonNode desktop(String desktopId) {
        Response r = get(P, "/desktops/" + desktopId);
        assertEquals(200, r.status(), () -> "response " + r);
        return r.body().get("desktop");
    }

    @Test
    void registerConnectAndHeartbeatMakeTheDesktopOnline() throws Exception {
        RegisterResponse reg = register("pc-online");
        JsonNode fresh = desktop(reg.getDesktopId());
        assertEquals("REGISTERED", fresh.get("login_status").asText());
        assertEquals("ACTIVE", fresh.get("status").asText());
        assertFalse(fresh.get("agent_online").asBoolean());
        assertTrue(fresh.get("last_heartbeat_time").isNull());
        assertTrue(listener.events.contains("registered:" + reg.getDesktopId()));

        TestAgent.Link link = agent.connect(reg.getDesktopId(), reg.getDesktopCredential());
        ControlMessage welcome = link.next();
        assertEquals(reg.getDesktopId(), welcome.getWelcome().getDesktopId());
        assertEquals(200, welcome.getWelcome().getHeartbeatIntervalMs());
        link.heartbeat();
        await("agent online", () -> desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        JsonNode online = desktop(reg.getDesktopId());
        assertEquals("CONNECTED", online.get("login_status").asText());
        assertEquals("1.2.3", online.get("agent_version").asText());
        assertEquals("boot-1", online.get("boot_id").asText());
        Instant heartbeat = Instant.parse(online.get("last_heartbeat_time").asText());
        assertTrue(heartbeat.isAfter(Instant.now().minusSeconds(30)));
        assertTrue(listener.events.contains("connected:" + reg.getDesktopId()));
        assertEquals(1, get(P, "/desktop-pools/" + poolId).body().get("desktop_used").asInt());
        link.hangUp();
        await("offline after hang-up", () -> !desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        assertEquals("DISCONNECTED", desktop(reg.getDesktopId()).get("login_status").asText());
    }

    @Test
    void lastHeartbeatTimeIsCurrentWhileConnectedAndStoredAtDisconnect() throws Exception {
        RegisterResponse reg = register("pc-heartbeat");
        TestAgent.Link link = online(reg);
        Thread.sleep(300);
        Instant beforeHeartbeat = Instant.now();
        link.heartbeat();
        // Served from memory: no wait for a heartbeat write (those come every few minutes).
        await("heartbeat shown", () -> !Instant.parse(desktop(reg.getDesktopId()).get("last_heartbeat_time")
                .asText()).isBefore(beforeHeartbeat.truncatedTo(ChronoUnit.SECONDS)));
        link.hangUp();
        await("offline", () -> !desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        Instant stored = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_heartbeat_at FROM desktops WHERE id = ?")) {
                ps.setString(1, reg.getDesktopId());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        });
        assertFalse(stored.isBefore(beforeHeartbeat), "the last heartbeat is stored when the desktop disconnects");
        assertEquals(Times.iso(stored), desktop(reg.getDesktopId()).get("last_heartbeat_time").asText());
    }

    @Test
    void silentAgentGoesOffline() throws Exception {
        RegisterResponse reg = register("pc-silent");
        double sweptBefore = streamsEnded("no_heartbeat");
        double endedByAgentsBefore = streamsEnded("agent");
        TestAgent.Link link = online(reg);
        // No heartbeats: offline-after is 2 s in tests.
        assertEquals(Status.Code.UNAVAILABLE, link.awaitClosed().getCode());
        await("offline", () -> !desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        assertEquals("DISCONNECTED", desktop(reg.getDesktopId()).get("login_status").asText());
        assertTrue(listener.events.contains("disconnected:" + reg.getDesktopId()));
        assertEquals(sweptBefore + 1, streamsEnded("no_heartbeat"), "counted as closed by the presence sweep");
        assertEquals(endedByAgentsBefore, streamsEnded("agent"), "not as ended by the agent");
    }

    private double streamsEnded(String why) {
        return meters.get("deskfleet.agent.streams.ended").tag("why", why).counter().count();
    }

    @Test
    void wrongOrAnotherDesktopsCredentialIsRefused() throws Exception {
        RegisterResponse a = register("pc-a");
        RegisterResponse b = register("pc-b");
        TestAgent.Link forged = agent.connect(a.getDesktopId(), "forged");
        assertEquals(Status.Code.UNAUTHENTICATED, forged.awaitClosed().getCode());
        TestAgent.Link borrowed = agent.connect(a.getDesktopId(), b.getDesktopCredential());
        assertEquals(Status.Code.UNAUTHENTICATED, borrowed.awaitClosed().getCode());
        TestAgent.Link unknown = agent.connect("no-such-desktop", a.getDesktopCredential());
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.awaitClosed().getCode());
        assertTrue(forged.received.isEmpty(), "no Welcome for a refused stream");
        for (TestAgent.Link refused : List.of(forged, borrowed, unknown)) {
            assertEquals("CREDENTIAL_REFUSED", refused.trailers.get(LinkStatus.REFUSAL), "a definitive refusal");
        }

        Response revoke = call(HttpRequest.DELETE("/v2/" + P + "/desktops/" + a.getDesktopId())
                .header("X-Auth-Token", token(P)));
        assertTrue(revoke.status() / 100 == 2, () -> "revoke: " + revoke);
        TestAgent.Link revoked = agent.connect(a.getDesktopId(), a.getDesktopCredential());
        assertEquals(Status.Code.UNAUTHENTICATED, revoked.awaitClosed().getCode());
        assertEquals("DESKTOP_REVOKED", revoked.trailers.get(LinkStatus.REFUSAL));
    }

    @Test
    void newerStreamReplacesTheOlderOne() throws Exception {
        RegisterResponse reg = register("pc-replace");
        TestAgent.Link first = agent.connect(reg.getDesktopId(), reg.getDesktopCredential());
        first.next();
        TestAgent.Link second = agent.connect(reg.getDesktopId(), reg.getDesktopCredential());
        second.next();
        assertEquals(Status.Code.ABORTED, first.awaitClosed().getCode());
        String op = "{\"desktop_ids\":[\"" + reg.getDesktopId() + "\"],\"op_type\":\"reboot\",\"type\":\"SOFT\"}";
        assertEquals(200, post(P, "/desktops/actions", op).status());
        assertEquals(PowerActionType.POWER_ACTION_TYPE_REBOOT, second.next().getPower().getAction());
        assertTrue(first.received.isEmpty());
        second.heartbeat();
        Thread.sleep(1500);
        assertTrue(desktop(reg.getDesktopId()).get("agent_online").asBoolean(), "still online via the new stream");
        second.hangUp();
    }

    @Test
    void expiredOrUsedUpActivationIsRefused() throws Exception {
        String[] once = createActivation(P, poolId, 1);
        agent.register(P, once[0], once[1], poolId, "pc-once", Map.of());
        StatusRuntimeException usedUp = assertThrows(StatusRuntimeException.class,
                () -> agent.register(P, once[0], once[1], poolId, "pc-twice", Map.of()));
        assertEquals(Status.Code.FAILED_PRECONDITION, usedUp.getStatus().getCode());
        assertEquals(Optional.of(Refusal.ACTIVATION_USED_UP), LinkStatus.refusal(usedUp));

        String[] expiring = createActivation(P, poolId, 5);
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agent_activations SET expires_at = ? WHERE id = ?")) {
                ps.setObject(1, Database.toDb(Instant.now().minusSeconds(1)));
                ps.setString(2, expiring[0]);
                return ps.executeUpdate();
            }
        });
        StatusRuntimeException expired = assertThrows(StatusRuntimeException.class,
                () -> agent.register(P, expiring[0], expiring[1], poolId, "pc-late", Map.of()));
        assertEquals(Status.Code.FAILED_PRECONDITION, expired.getStatus().getCode());
        assertEquals(Optional.of(Refusal.ACTIVATION_EXPIRED), LinkStatus.refusal(expired));

        String[] other = createActivation(P, poolId, 5);
        StatusRuntimeException wrongCode = assertThrows(StatusRuntimeException.class,
                () -> agent.register(P, other[0], "guess", poolId, "pc-x", Map.of()));
        assertEquals(Status.Code.UNAUTHENTICATED, wrongCode.getStatus().getCode());
        assertEquals(Optional.of(Refusal.ACTIVATION_UNKNOWN), LinkStatus.refusal(wrongCode));
        StatusRuntimeException wrongProject = assertThrows(StatusRuntimeException.class,
                () -> agent.register("elsewhere", other[0], other[1], poolId, "pc-x", Map.of()));
        assertEquals(Status.Code.UNAUTHENTICATED, wrongProject.getStatus().getCode());
        assertEquals(Optional.of(Refusal.ACTIVATION_UNKNOWN), LinkStatus.refusal(wrongProject));
        StatusRuntimeException wrongPool = assertThrows(StatusRuntimeException.class,
                () -> agent.register(P, other[0], other[1], "another-pool", "pc-x", Map.of()));
        assertEquals(Status.Code.INVALID_ARGUMENT, wrongPool.getStatus().getCode());
        assertEquals(Optional.of(Refusal.WRONG_POOL), LinkStatus.refusal(wrongPool));
        StatusRuntimeException badTag = assertThrows(StatusRuntimeException.class,
                () -> agent.register(P, other[0], other[1], poolId, "pc-x", Map.of("", "no key")));
        assertEquals(Status.Code.INVALID_ARGUMENT, badTag.getStatus().getCode());
        assertEquals(Optional.of(Refusal.INVALID_REGISTRATION), LinkStatus.refusal(badTag));
    }

    /**
     * The herd bench found it: a registration stored after the agent's deadline passed was retried and used up a
     * second registration of the activation. A retry with the same request_id gets the same desktop instead.
     */
    @Test
    void aRetriedRegistrationGetsTheSameDesktopWithANewCredentialAndCountsOnce() throws Exception {
        String[] once = createActivation(P, poolId, 1);
        RegisterRequest first = RegisterRequest.newBuilder().setProjectId(P).setActivationId(once[0])
                .setActivationCode(once[1]).setPoolId(poolId).setComputerName("pc-retry").setRequestId("req-1").build();
        RegisterResponse lost = agent.register(first);
        RegisterResponse retried = agent.register(first);
        assertEquals(lost.getDesktopId(), retried.getDesktopId());
        assertNotEquals(lost.getDesktopCredential(), retried.getDesktopCredential());
        assertEquals(Status.Code.UNAUTHENTICATED,
                agent.connect(lost.getDesktopId(), lost.getDesktopCredential()).awaitClosed().getCode(),
                "the lost answer's credential is void");
        TestAgent.Link link = online(retried);

        StatusRuntimeException another = assertThrows(StatusRuntimeException.class,
                () -> agent.register(first.toBuilder().setRequestId("req-2").build()));
        assertEquals(Optional.of(Refusal.ACTIVATION_USED_UP), LinkStatus.refusal(another), "counted once");
        StatusRuntimeException afterConnect = assertThrows(StatusRuntimeException.class, () -> agent.register(first));
        assertEquals(Optional.of(Refusal.INVALID_REGISTRATION), LinkStatus.refusal(afterConnect),
                "a connected desktop is not handed out again");
        link.hangUp();
    }

    @Test
    void powerActionReachesTheAgentAndItsReportSetsStatus() throws Exception {
        RegisterResponse reg = register("pc-power");
        TestAgent.Link link = agent.connect(reg.getDesktopId(), reg.getDesktopCredential());
        link.next();
        String op = "{\"desktop_ids\":[\"" + reg.getDesktopId() + "\"],\"op_type\":\"os-stop\",\"type\":\"HARD\"}";
        Response r = post(P, "/desktops/actions", op);
        assertEquals(200, r.status());
        assertEquals(0, r.body().size());
        ControlMessage power = link.next();
        assertEquals(PowerActionType.POWER_ACTION_TYPE_STOP, power.getPower().getAction());
        link.send(AgentMessage.newBuilder().setPowerStateChanged(PowerStateChanged.newBuilder()
                .setPowerState(PowerState.POWER_STATE_SHUTOFF).setActionId(power.getPower().getActionId())).build());
        await("status SHUTOFF", () -> desktop(reg.getDesktopId()).get("status").asText().equals("SHUTOFF"));
        link.hangUp();
    }

    @Test
    void powerActionOnUnknownOrOfflineDesktopIsRefused() {
        RegisterResponse reg = register("pc-offline");
        Response unknown = post(P, "/desktops/actions", "{\"desktop_ids\":[\"nope\"],\"op_type\":\"reboot\"}");
        assertEquals(404, unknown.status());
        Response offline = post(P, "/desktops/actions",
                "{\"desktop_ids\":[\"" + reg.getDesktopId() + "\"],\"op_type\":\"reboot\"}");
        assertEquals(409, offline.status());
        assertTrue(offline.body().get("error_msg").asText().contains(reg.getDesktopId()));
    }

    @Test
    void resultIsAcknowledgedOnlyAfterListenersStoredIt() throws Exception {
        RegisterResponse reg = register("pc-result");
        TestAgent.Link link = agent.connect(reg.getDesktopId(), reg.getDesktopCredential());
        link.next();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        listener.resultStored = stored;
        link.send(AgentMessage.newBuilder().setResult(InvocationResult.newBuilder().setInvocationId("inv-1")
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED)).build());
        await("result heard", () -> listener.events.contains("result:inv-1"));
        Thread.sleep(300);
        assertTrue(link.received.isEmpty(), "no ack before the result is stored");
        stored.complete(null);
        assertEquals("inv-1", link.next().getAck().getInvocationId());
        link.hangUp();
    }
}
