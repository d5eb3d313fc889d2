package io.deskfleet.agent;

import io.deskfleet.agent.link.ReplicaChannels;
import io.deskfleet.agent.state.Credential;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.RunCommand;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent wired to a {@link FakeControlPlane} through an in-process server; everything started here is shut down
 * after each test (what grpc-java's GrpcCleanupRule does for JUnit 4).
 */
abstract class InProcessAgentTest {
    @TempDir
    Path stateDir;

    final FakeControlPlane controlPlane = new FakeControlPlane();
    ManagedChannel channel;
    private Server server;
    private final List<Agent> agents = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(controlPlane).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void cleanUp() {
        agents.forEach(Agent::shutdown);
        channel.shutdownNow();
        server.shutdownNow();
    }

    Agent startAgent() throws IOException {
        Agent agent = Agent.start(stateDir, new Credential(FakeControlPlane.DESKTOP_ID, FakeControlPlane.SECRET),
                ReplicaChannels.of(channel), "test");
        agents.add(agent);
        return agent;
    }

    /** Starts an agent and waits until it is connected for the {@code helloCount}-th time. */
    Agent startConnected(int helloCount) throws IOException {
        Agent agent = startAgent();
        controlPlane.awaitHello(helloCount);
        return agent;
    }

    static ControlMessage shell(String invocationId, String script) {
        return run(invocationId, Interpreter.INTERPRETER_SHELL, script, 30, 0);
    }

    static ControlMessage run(String invocationId, Interpreter interpreter, String script, int timeoutSeconds,
                              int maxOutputBytes) {
        return ControlMessage.newBuilder().setRun(RunCommand.newBuilder()
                .setInvocationId(invocationId)
                .setInterpreter(interpreter)
                .setContent(script)
                .setTimeoutSeconds(timeoutSeconds)
                .setMaxOutputBytes(maxOutputBytes)).build();
    }
}
