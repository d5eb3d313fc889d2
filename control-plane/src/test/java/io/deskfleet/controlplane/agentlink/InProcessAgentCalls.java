package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.grpc.testing.StreamRecorder;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the in-process agent-link tests say as an agent over a raw stub ({@link InProcessAgentLink}). */
final class InProcessAgentCalls {
    private static final String VERSION = "2.0.0-in-process";

    private InProcessAgentCalls() {
    }

    /** Registers with the activation {id, code} (ControlPlaneTestBase.createActivation); fails unless answered in 10 s. */
    static RegisterResponse register(AgentLinkGrpc.AgentLinkStub stub, String projectId, String[] activation,
                                     String poolId, String computerName) throws Exception {
        StreamRecorder<RegisterResponse> answer = StreamRecorder.create();
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).register(RegisterRequest.newBuilder().setProjectId(projectId)
                .setActivationId(activation[0]).setActivationCode(activation[1]).setPoolId(poolId)
                .setComputerName(computerName).setOsType("Linux").setAgentVersion(VERSION).build(), answer);
        assertTrue(answer.awaitCompletion(10, TimeUnit.SECONDS), "Register answered");
        return answer.getValues().get(0);
    }

    /** The first message of the desktop's stream. */
    static AgentMessage hello(RegisterResponse desktop) {
        return AgentMessage.newBuilder().setHello(Hello.newBuilder().setDesktopId(desktop.getDesktopId())
                .setDesktopCredential(desktop.getDesktopCredential()).setBootId("boot-in-process")
                .setAgentVersion(VERSION).addInterpreters(Interpreter.INTERPRETER_SHELL)
                .setPowerState(PowerState.POWER_STATE_RUNNING)).build();
    }
}
