package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Heartbeat;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;

import io.deskfleet.controlplane.db.Database;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.StreamRecorder;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.deskfleet.controlplane.agentlink.InProcessAgentCalls.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A herd of Hellos arriving while the database is slow to give out connections (a task's take-over, a busy
 * replica) must not cost the desktops already connected their streams: the gRPC executor that reads their
 * heartbeats does not wait for the database (see {@link CredentialLookup}). Here every pooled connection is held
 * while more Hellos arrive than the executor has threads, for twice the time after which a silent stream is closed.
 */
@MicronautTest(transactional = false)
class HeartbeatsDuringAHelloHerdTest extends ControlPlaneTestBase {
    private static final String P = "hello-herd";
    private static final String SERVER_NAME = InProcessServerBuilder.generateName();
    private static final int POOL = 3;
    private static final int HERD = 8;

    @RegisterExtension
    final GrpcCleanupExtension grpcCleanup = new GrpcCleanupExtension();
    @Inject
    Database db;
    @Inject
    AgentSessions sessions;

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put(InProcessAgentLink.PROPERTY, SERVER_NAME);
        properties.put("datasources.default.maximum-pool-size", Integer.toString(POOL));
        return properties;
    }

    @Test
    void aConnectedDesktopKeepsItsStreamWhileAHerdOfHellosWaitsForTheDatabase() throws Exception {
        String pool = createPool(P, "herd-pool");
        AgentLinkGrpc.AgentLinkStub stub = AgentLinkGrpc.newStub(grpcCleanup.register(
                InProcessChannelBuilder.forName(SERVER_NAME).directExecutor().build()));
        RegisterResponse connected = register(stub, pool, "pc-connected");
        List<RegisterResponse> herd = new ArrayList<>();
        for (int i = 0; i < HERD; i++) {
            herd.add(register(stub, pool, "pc-herd-" + i));
        }
        StreamRecorder<ControlMessage> connectedIn = StreamRecorder.create();
        StreamObserver<AgentMessage> connectedOut = stub.connect(connectedIn);
        connectedOut.onNext(hello(connected));
        await("the first desktop welcomed", () -> connectedIn.getValues().size() == 1);
        await("the first desktop's state stored", () -> desktopOnline(connected.getDesktopId()));

        List<StreamRecorder<ControlMessage>> herdIn = new ArrayList<>();
        try (HeldConnections ignored = HeldConnections.all(db, POOL)) {
            for (RegisterResponse desktop : herd) {
                StreamRecorder<ControlMessage> in = StreamRecorder.create();
                stub.connect(in).onNext(hello(desktop));
                herdIn.add(in);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until) {
                connectedOut.onNext(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                        .setSentAtUnixMs(System.currentTimeMillis())).build());
                Thread.sleep(200);
            }
            assertFalse(connectedIn.awaitCompletion(0, TimeUnit.MILLISECONDS),
                    () -> "the connected desktop's stream ended: " + connectedIn.getError());
            assertTrue(sessions.isConnected(connected.getDesktopId()), "still connected");
            assertEquals(0, herdIn.stream().filter(in -> !in.getValues().isEmpty()).count(),
                    "no Hello of the herd answered while its credential cannot be read");
        }
        for (int i = 0; i < HERD; i++) {
            StreamRecorder<ControlMessage> in = herdIn.get(i);
            await("herd desktop " + i + " welcomed once the database answers", () -> !in.getValues().isEmpty());
            assertTrue(in.getValues().get(0).hasWelcome());
        }
        connectedOut.onCompleted();
    }

    private RegisterResponse register(AgentLinkGrpc.AgentLinkStub stub, String pool, String name) throws Exception {
        return InProcessAgentCalls.register(stub, P, createActivation(P, pool, 1), pool, name);
    }

    private boolean desktopOnline(String desktopId) {
        return get(P, "/desktops/" + desktopId).body().get("desktop").get("agent_online").asBoolean();
    }
}
