package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.ThrowawayPostgres;
import io.deskfleet.controlplane.db.Database;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.StreamRecorder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    @Factory
    @Requires(property = "spec.name", value = "OutboxRetargetOnPostgresTest")
    static class InProcessTransport {
        @Singleton
        @Replaces(value = ServerBuilder.class, factory = AgentLinkTransport.class)
        ServerBuilder<?> inProcessServerBuilder() {
            return InProcessServerBuilder.forName(SERVER_NAME);
        }
    }

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("spec.name", "OutboxRetargetOnPostgresTest");
        properties.put("deskfleet.replica.id", "cp-here");
        properties.put("deskfleet.agent.offline-after", "60s");
        try {
            ThrowawayPostgres pg = ThrowawayPostgres.start(ThrowawayPostgres.installedBinaries().orElseThrow());
            properties.put("datasources.default.url", pg.jdbcUrl());
            properties.put("datasources.default.username", pg.user());
            properties.put("datasources.default.password", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    @Test
    void aCommandQueuedForAReplicaThatNoLongerHoldsTheDesktopReachesItWhereItIs() throws Exception {
        AgentLinkGrpc.AgentLinkStub stub = AgentLinkGrpc.newStub(grpcCleanup.register(
                InProcessChannelBuilder.forName(SERVER_NAME).directExecutor().build()));
        RegisterResponse desktop = register(stub, createPool(P, "retarget-pool"));
        StreamRecorder<ControlMessage> in = StreamRecorder.create();
        StreamObserver<AgentMessage> out = stub.connect(in);
        out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setDesktopId(desktop.getDesktopId())
                .setDesktopCredential(desktop.getDesktopCredential()).setBootId("boot-retarget")
                .setAgentVersion("2.0.0-retarget").addInterpreters(Interpreter.INTERPRETER_SHELL)
                .setPowerState(PowerState.POWER_STATE_RUNNING)).build());
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
        String[] activation = createActivation(P, pool, 1);
        StreamRecorder<RegisterResponse> answer = StreamRecorder.create();
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).register(RegisterRequest.newBuilder().setProjectId(P)
                .setActivationId(activation[0]).setActivationCode(activation[1]).setPoolId(pool)
                .setComputerName("pc-retarget").setOsType("Linux").setAgentVersion("2.0.0-retarget").build(), answer);
        assertTrue(answer.awaitCompletion(10, TimeUnit.SECONDS), "Register answered");
        return answer.getValues().get(0);
    }
}
