package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.link.LinkStatus;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.StreamRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static io.deskfleet.controlplane.agentlink.InProcessAgentCalls.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hellos beyond what a control plane expects to answer within deskfleet.agent.hello-max-wait are shed at once with
 * RESOURCE_EXHAUSTED and a retry hint, before any database work, and are welcomed when they come back. Here the
 * longest wait is 0, so only a Hello that finds none pending is admitted, and every pooled connection is held so
 * that the admitted one stays pending while the others arrive.
 */
@MicronautTest(transactional = false)
class HelloPushbackTest extends ControlPlaneTestBase {
    private static final String P = "hello-pushback";
    private static final String SERVER_NAME = InProcessServerBuilder.generateName();
    private static final int POOL = 3;
    private static final int HERD = 4;

    @RegisterExtension
    final GrpcCleanupExtension grpcCleanup = new GrpcCleanupExtension();
    @Inject
    Database db;
    @Inject
    MeterRegistry meters;
    @Inject
    HelloAdmission admission;

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put(InProcessAgentLink.PROPERTY, SERVER_NAME);
        properties.put("datasources.default.maximum-pool-size", Integer.toString(POOL));
        properties.put("deskfleet.agent.hello-max-wait", "0s");
        properties.put("deskfleet.agent.hello-retry-after", "1500ms");
        properties.put("deskfleet.agent.offline-after", "60s");
        return properties;
    }

    @Test
    void hellosBeyondTheLongestWaitAreShedWithAHintAndWelcomedWhenTheyReturn() throws Exception {
        String pool = createPool(P, "pushback-pool");
        AgentLinkGrpc.AgentLinkStub stub = AgentLinkGrpc.newStub(grpcCleanup.register(
                InProcessChannelBuilder.forName(SERVER_NAME).directExecutor().build()));
        List<RegisterResponse> herd = new ArrayList<>();
        for (int i = 0; i < HERD; i++) {
            herd.add(register(stub, pool, "pc-pushback-" + i));
        }
        double shedBefore = meters.get("deskfleet.agent.hellos.shed").counter().count();

        List<StreamRecorder<ControlMessage>> first = new ArrayList<>();
        List<StreamObserver<AgentMessage>> welcomed = new ArrayList<>();
        try (HeldConnections ignored = HeldConnections.all(db, POOL)) {
            for (RegisterResponse desktop : herd) {
                StreamRecorder<ControlMessage> in = StreamRecorder.create();
                StreamObserver<AgentMessage> out = stub.connect(in);
                out.onNext(hello(desktop));
                first.add(in);
                if (first.size() == 1) {
                    welcomed.add(out);
                    // The others arrive while it waits (the gRPC threads would otherwise take them in any order).
                    await("the first Hello pending", () -> admission.pending() == 1);
                }
            }
            for (int i = 1; i < HERD; i++) {
                StreamRecorder<ControlMessage> in = first.get(i);
                assertTrue(in.awaitCompletion(5, TimeUnit.SECONDS), "Hello " + i + " answered at once");
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(in.getError()).getCode());
                assertEquals(OptionalLong.of(1_500), LinkStatus.retryAfterMillis(in.getError()),
                        "the hint: what the one pending needs, at least hello-retry-after");
                assertTrue(in.getValues().isEmpty(), "no Welcome on a shed stream");
            }
            assertEquals(HERD - 1, meters.get("deskfleet.agent.hellos.shed").counter().count() - shedBefore);
            assertTrue(first.get(0).getValues().isEmpty(), "the admitted one waits for the database");
        }
        await("the admitted Hello welcomed", () -> !first.get(0).getValues().isEmpty());
        assertTrue(first.get(0).getValues().get(0).hasWelcome());
        for (int i = 1; i < HERD; i++) {
            // Back one at a time, as agents whose hints were spread by jitter: each finds none pending.
            StreamRecorder<ControlMessage> again = StreamRecorder.create();
            StreamObserver<AgentMessage> out = stub.connect(again);
            out.onNext(hello(herd.get(i)));
            welcomed.add(out);
            await("shed desktop " + i + " welcomed when it comes back", () -> !again.getValues().isEmpty());
            assertTrue(again.getValues().get(0).hasWelcome());
        }
        welcomed.forEach(StreamObserver::onCompleted);
    }

    private RegisterResponse register(AgentLinkGrpc.AgentLinkStub stub, String pool, String name) throws Exception {
        return InProcessAgentCalls.register(stub, P, createActivation(P, pool, 1), pool, name);
    }
}
