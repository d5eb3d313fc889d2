package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.ThrowawayPostgres;
import io.deskfleet.controlplane.db.Database;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.StreamRecorder;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica on PostgreSQL: a command another replica queued in {@code agent_outbox} for the holder it believed had
 * the desktop (one that since lost it, or died) still reaches the desktop, through the sweep of the replica that
 * holds it now, which makes such rows its own. The owner's re-send on reconnect covers commands it tracks as in
 * flight; this is the guarantee for the rest, and for a lost hint. Skipped where there is no PostgreSQL server.
 */
@MicronautTest(transactional = false)
@EnabledIf(value = "postgresInstalled", disabledReason = "no PostgreSQL server binaries under /usr/lib/postgresql")
class OutboxRetargetOnPostgresTest extends ControlPlaneTestBase {
    private static final String P = "outbox-retarget";
    private static final String SERVER_NAME = InProcessServerBuilder.generateName();

    @RegisterExtension
    final GrpcCleanupExtension grpcCleanup = new GrpcCleanupExtension();
    @Inject
    Database db;

    static boolean postgresInstalled() {
        return ThrowawayPostgres.installedBinaries().isPresent();
    }

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put(InProcessAgentLink.PROPERTY, SERVER_NAME);
        properties.put("deskfleet.replica.id", "cp-here");
        properties.put("deskfleet.agent.offline-after", "60s");
        properties.putAll(ThrowawayPostgres.datasource());
        return properties;
    }

    @Test
    void aCommandQueuedForAReplicaThatNoLongerHoldsTheDesktopReachesItWhereItIs() throws Exception {
        AgentLinkGrpc.AgentLinkStub stub = AgentLinkGrpc.newStub(grpcCleanup.register(
                InProcessChannelBuilder.forName(SERVER_NAME).directExecutor().build()));
        RegisterResponse desktop = register(stub, createPool(P, "retarget-pool"));
        StreamRecorder<ControlMessage> in = StreamRecorder.create();
        StreamObserver<AgentMessage> out = stub.connect(in);
        out.onNext(InProcessAgentCalls.hello(desktop));
        await("welcomed", () -> !in.getValues().isEmpty());
        assertTrue(in.getValues().get(0).hasWelcome());

        ControlMessage command = ControlMessage.newBuilder().setRun(RunCommand.newBuilder()
                .setInvocationId("inv-queued-elsewhere").setInterpreter(Interpreter.INTERPRETER_SHELL)
                .setContent("true").setTimeoutSeconds(60)).build();
        // As a sender on another replica writes it, naming the holder it knew: cp-gone, which has no stream of it.
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_outbox (desktop_id, holder, message,"
                    + " created_at) VALUES (?, 'cp-gone', ?, clock_timestamp() - interval '5 seconds')")) {
                ps.setString(1, desktop.getDesktopId());
                ps.setBytes(2, command.toByteArray());
                return ps.executeUpdate();
            }
        });

        await("the command delivered by the holder's sweep", () -> in.getValues().size() >= 2);
        assertEquals(command, in.getValues().get(1));
        await("its row gone", () -> db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM agent_outbox")) {
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            }
        }));
        out.onCompleted();
    }

    private RegisterResponse register(AgentLinkGrpc.AgentLinkStub stub, String pool) throws Exception {
        return InProcessAgentCalls.register(stub, P, createActivation(P, pool, 1), pool, "pc-retarget");
    }
}
