package io.deskfleet.it.harness;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Registers a desktop from the test JVM over the real gRPC Register call, as a provisioning tool would, and leaves
 * its credential where the agent's state dir keeps it ({@code credential.properties}). The agent started on that
 * state dir then only connects, which it retries with backoff, instead of registering within its own 10 s deadline,
 * which a loaded machine misses while many agent JVMs start at once. Registration itself is RegistrationIT's subject.
 */
final class Registration {
    private Registration() {
    }

    static void register(ControlPlaneProcess cp, String projectId, AgentProcess.Activation activation, String name,
                         Path stateDir) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(cp.grpcTarget()).usePlaintext().build();
        try {
            RegisterResponse registered = AgentLinkGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .register(RegisterRequest.newBuilder().setProjectId(projectId)
                            .setActivationId(activation.id()).setActivationCode(activation.code())
                            .setPoolId(activation.poolId()).setComputerName(name).setOsType("Linux")
                            .setAgentVersion("it-provisioned").build());
            Properties credential = new Properties();
            credential.setProperty("desktop_id", registered.getDesktopId());
            credential.setProperty("desktop_credential", registered.getDesktopCredential());
            StringWriter text = new StringWriter();
            credential.store(text, "written by the it-tests harness");
            Files.createDirectories(stateDir);
            Files.writeString(stateDir.resolve("credential.properties"), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            channel.shutdownNow();
        }
    }
}
