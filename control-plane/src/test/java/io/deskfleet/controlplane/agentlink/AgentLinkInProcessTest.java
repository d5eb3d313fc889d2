package io.deskfleet.controlplane.agentlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.UnknownFieldSet;
import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Heartbeat;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.inventory.DesktopStateWriter;
import io.deskfleet.link.LinkStatus;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.StreamRecorder;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real AgentLinkService, with its executor, sessions and database, behind grpc-java's in-process transport
 * instead of a socket ({@link AgentLinkTransport} replaced here): what an agent sees on Register and on its Connect
 * stream, and what a user then sees over HTTP. {@link AgentLinkTest} covers the same service over a real socket.
 */
@MicronautTest(transactional = false)
class AgentLinkInProcessTest extends ControlPlaneTestBase {
    private static final String P = "inprocess";
    private static final String SERVER_NAME = InProcessServerBuilder.generateName();

    @RegisterExtension
    final GrpcCleanupExtension grpcCleanup = new GrpcCleanupExtension();
    @Inject
    DesktopStateWriter state;

    private String poolId;

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put(InProcessAgentLink.PROPERTY, SERVER_NAME);
        // Not about presence: a stream that sends no heartbeat for a while must not be swept mid-test.
        properties.put("deskfleet.agent.offline-after", "60s");
        return properties;
    }

    @BeforeAll
    void setUp() {
        poolId = createPool(P, "in-process-pool");
    }

    @Test
    void aRegisteredDesktopIsWelcomedOnItsStreamAndShownOnlineUntilItHangsUp() throws Exception {
        AgentLinkGrpc.AgentLinkStub stub = stub();
        RegisterResponse reg = registered(stub, registration("pc-welcome", poolId));
        JsonNode fresh = desktop(reg.getDesktopId());
        assertEquals("pc-welcome", fresh.get("computer_name").asText());
        assertEquals("REGISTERED", fresh.get("login_status").asText());
        assertTrue(reg.getDesktopCredential().length() >= 32, "a credential worth the name");

        Link link = connect(stub, reg.getDesktopId(), reg.getDesktopCredential());
        Welcome welcome = link.in().firstValue().get(10, TimeUnit.SECONDS).getWelcome();
        assertEquals(reg.getDesktopId(), welcome.getDesktopId());
        assertEquals(200, welcome.getHeartbeatIntervalMs());
        await("online", () -> desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        JsonNode online = desktop(reg.getDesktopId());
        assertEquals("CONNECTED", online.get("login_status").asText());
        assertEquals("2.0.0-in-process", online.get("agent_version").asText());
        assertEquals("boot-in-process", online.get("boot_id").asText());

        link.out().onCompleted();
        assertEquals(Status.Code.OK, link.end().getCode(), "the control plane completes a stream the agent ends");
        await("offline", () -> !desktop(reg.getDesktopId()).get("agent_online").asBoolean());
        assertEquals("DISCONNECTED", desktop(reg.getDesktopId()).get("login_status").asText());
    }

    @Test
    void aCommandIsDeliveredAndItsResultIsStoredBeforeItIsAcknowledged() throws Exception {
        String pool = createPool(P, "command-pool");
        AgentLinkGrpc.AgentLinkStub stub = stub();
        RegisterResponse reg = registered(stub, registration("pc-command", pool));
        Link link = welcomed(stub, reg);

        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"echo in-process\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        RunCommand run = link.message(1).getRun();
        assertEquals("echo in-process", run.getContent());
        assertEquals(Interpreter.INTERPRETER_SHELL, run.getInterpreter());

        link.out().onNext(TestAgent.exited(run.getInvocationId(), 0, "in-process\n"));
        assertEquals(run.getInvocationId(), link.message(2).getAck().getInvocationId());
        // No waiting: the ack promises the result is stored.
        JsonNode record = record(P, run.getInvocationId());
        assertEquals("SUCCESS", record.get("status").asText(), record::toString);
        assertEquals("in-process\n", record.get("output").asText(), record::toString);
        assertEquals(0, record.get("exit_code").asInt(), record::toString);
        await("task SUCCESS", () -> task(P, taskId).get("status").asText().equals("SUCCESS"));

        link.out().onCompleted();
        assertEquals(Status.Code.OK, link.end().getCode());
    }

    @Test
    void definitiveRefusalsCarryTheirReasonTrailerAndChangeNothing() throws Exception {
        AgentLinkGrpc.AgentLinkStub stub = stub();
        RegisterRequest request = registration("pc-refusals", poolId);

        Throwable wrongCode = register(stub, request.toBuilder().setActivationCode("guess").build()).getError();
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(wrongCode).getCode());
        assertEquals(Optional.of(Refusal.ACTIVATION_UNKNOWN), LinkStatus.refusal(wrongCode));
        Throwable noName = register(stub, request.toBuilder().clearComputerName().build()).getError();
        assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(noName).getCode());
        assertEquals(Optional.of(Refusal.INVALID_REGISTRATION), LinkStatus.refusal(noName));
        // The activation allows one registration: the refused calls did not use it up.
        RegisterResponse reg = registered(stub, request);

        Link forged = connect(stub, reg.getDesktopId(), "forged");
        assertEquals(Status.Code.UNAUTHENTICATED, forged.end().getCode());
        assertEquals(Optional.of(Refusal.CREDENTIAL_REFUSED), LinkStatus.refusal(forged.in().getError()));
        assertTrue(forged.in().getValues().isEmpty(), "no Welcome for a refused stream");
        assertEquals("REGISTERED", desktop(reg.getDesktopId()).get("login_status").asText());

        // Not a Hello first: refused, but without a reason, so an agent would retry rather than stop.
        StreamRecorder<ControlMessage> noHello = StreamRecorder.create();
        stub.connect(noHello).onNext(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        assertTrue(noHello.awaitCompletion(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.UNAUTHENTICATED, Status.fromThrowable(noHello.getError()).getCode());
        assertEquals(Optional.empty(), LinkStatus.refusal(noHello.getError()));

        Link live = welcomed(stub, reg);
        Response revoke = call(HttpRequest.DELETE("/v2/" + P + "/desktops/" + reg.getDesktopId())
                .header("X-Auth-Token", token(P)));
        assertEquals(2, revoke.status() / 100, revoke::toString);
        assertEquals(Status.Code.UNAUTHENTICATED, live.end().getCode(), "revocation ends the live stream");
        assertEquals(Optional.of(Refusal.DESKTOP_REVOKED), LinkStatus.refusal(live.in().getError()));
        Link again = connect(stub, reg.getDesktopId(), reg.getDesktopCredential());
        assertEquals(Status.Code.UNAUTHENTICATED, again.end().getCode());
        assertEquals(Optional.of(Refusal.DESKTOP_REVOKED), LinkStatus.refusal(again.in().getError()));
    }

    @Test
    void aNewerStreamReplacesTheOlderWhichEndsAbortedWithoutTakingTheDesktopOffline() throws Exception {
        String pool = createPool(P, "replace-pool");
        AgentLinkGrpc.AgentLinkStub stub = stub();
        RegisterResponse reg = registered(stub, registration("pc-replace", pool));
        Link older = welcomed(stub, reg);
        Link newer = welcomed(stub, reg);

        assertEquals(Status.Code.ABORTED, older.end().getCode());
        assertEquals(Optional.empty(), LinkStatus.refusal(older.in().getError()), "not a refusal: agents reconnect");
        Response posted = post(P, "/desktop-pools/" + pool + "/script-executions",
                "{\"command_content\":\"echo newer\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        assertEquals("echo newer", newer.message(1).getRun().getContent());
        assertEquals(1, older.in().getValues().size(), "only the Welcome went to the older stream");
        // The online flag is written behind; a flush now would carry an offline mark from the older stream's end.
        state.flush(false);
        assertTrue(desktop(reg.getDesktopId()).get("agent_online").asBoolean(), "online through the newer stream");

        newer.out().onCompleted();
        assertEquals(Status.Code.OK, newer.end().getCode());
        await("offline once the current stream ends",
                () -> !desktop(reg.getDesktopId()).get("agent_online").asBoolean());
    }

    /** Each handled in stream order: had any of them produced a reply, it would come before the ResultAck. */
    @Test
    void aSecondHelloAnEmptyAndAnUnknownMessageAreIgnoredAndTheStreamGoesOn() throws Exception {
        AgentLinkGrpc.AgentLinkStub stub = stub();
        RegisterResponse reg = registered(stub, registration("pc-ignored", poolId));
        Link link = welcomed(stub, reg);

        link.out().onNext(hello(reg.getDesktopId(), reg.getDesktopCredential()));
        link.out().onNext(AgentMessage.getDefaultInstance());
        // A newer agent's message case that this build does not know: a field number outside the oneof.
        link.out().onNext(AgentMessage.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build());
        link.out().onNext(TestAgent.exited("never-issued", 0, ""));
        assertEquals("never-issued", link.message(1).getAck().getInvocationId());
        assertEquals(2, link.in().getValues().size(), () -> "unexpected replies " + link.in().getValues());
        await("online", () -> desktop(reg.getDesktopId()).get("agent_online").asBoolean());

        link.out().onCompleted();
        assertEquals(Status.Code.OK, link.end().getCode());
    }

    /** A fresh channel to the in-process server, shut down (and checked to terminate) after the test. */
    private AgentLinkGrpc.AgentLinkStub stub() {
        return AgentLinkGrpc.newStub(grpcCleanup.register(
                InProcessChannelBuilder.forName(SERVER_NAME).directExecutor().build()));
    }

    private RegisterRequest registration(String computerName, String pool) {
        String[] activation = createActivation(P, pool, 1);
        return RegisterRequest.newBuilder().setProjectId(P).setActivationId(activation[0])
                .setActivationCode(activation[1]).setPoolId(pool).setComputerName(computerName)
                .setOsType("Linux").setAgentVersion("2.0.0-in-process").build();
    }

    private static StreamRecorder<RegisterResponse> register(AgentLinkGrpc.AgentLinkStub stub,
                                                             RegisterRequest request) throws Exception {
        StreamRecorder<RegisterResponse> answer = StreamRecorder.create();
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).register(request, answer);
        assertTrue(answer.awaitCompletion(10, TimeUnit.SECONDS), "Register answered");
        return answer;
    }

    private static RegisterResponse registered(AgentLinkGrpc.AgentLinkStub stub, RegisterRequest request)
            throws Exception {
        StreamRecorder<RegisterResponse> answer = register(stub, request);
        assertNull(answer.getError(), () -> "refused: " + answer.getError());
        assertEquals(1, answer.getValues().size());
        return answer.getValues().get(0);
    }

    /** One Connect stream: where the agent writes, and a recording of what the control plane sent back. */
    private record Link(StreamObserver<AgentMessage> out, StreamRecorder<ControlMessage> in) {
        ControlMessage message(int index) {
            await("control message " + index, () -> in.getValues().size() > index);
            return in.getValues().get(index);
        }

        /** How the control plane ended the stream. */
        Status end() throws Exception {
            assertTrue(in.awaitCompletion(10, TimeUnit.SECONDS), "the stream ended");
            return in.getError() == null ? Status.OK : Status.fromThrowable(in.getError());
        }
    }

    private static Link connect(AgentLinkGrpc.AgentLinkStub stub, String desktopId, String credential) {
        StreamRecorder<ControlMessage> in = StreamRecorder.create();
        StreamObserver<AgentMessage> out = stub.connect(in);
        out.onNext(hello(desktopId, credential));
        return new Link(out, in);
    }

    /** A stream past its Welcome. */
    private static Link welcomed(AgentLinkGrpc.AgentLinkStub stub, RegisterResponse reg) {
        Link link = connect(stub, reg.getDesktopId(), reg.getDesktopCredential());
        assertTrue(link.message(0).hasWelcome());
        return link;
    }

    private static AgentMessage hello(String desktopId, String credential) {
        return AgentMessage.newBuilder().setHello(Hello.newBuilder().setDesktopId(desktopId)
                .setDesktopCredential(credential).setBootId("boot-in-process").setAgentVersion("2.0.0-in-process")
                .addInterpreters(Interpreter.INTERPRETER_SHELL).setPowerState(PowerState.POWER_STATE_RUNNING)).build();
    }

    private JsonNode desktop(String desktopId) {
        Response r = get(P, "/desktops/" + desktopId);
        assertEquals(200, r.status(), r::toString);
        return r.body().get("desktop");
    }
}
