package io.deskfleet.agent;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole agent process logic (AgentMain.run) against a real Netty server on a random localhost port. */
class AgentMainTest {
    @TempDir
    Path stateDir;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final ExecutorService mainThread = Executors.newSingleThreadExecutor();
    private Server server;

    @BeforeEach
    void startServer() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(controlPlane).build().start();
    }

    @AfterEach
    void stopServer() {
        mainThread.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void registersOnceThenReattachesWithTheStoredCredentialAndExits3WhenRevoked() throws Exception {
        Future<Integer> first = mainThread.submit(() -> AgentMain.run(args(true)));
        controlPlane.awaitHello(1);
        controlPlane.send(InProcessAgentTest.shell("inv-main", "echo hi; exit 3"));
        InvocationResult result = controlPlane.awaitResult("inv-main");
        assertEquals(InvocationStatus.EXITED, result.getStatus());
        assertEquals(3, result.getExitCode());
        assertEquals("hi\n", result.getOutput());
        controlPlane.revoke();
        assertEquals(3, first.get(10, TimeUnit.SECONDS));
        assertTrue(Files.exists(stateDir.resolve("credential.properties")));

        controlPlane.revoked = false;
        Future<Integer> second = mainThread.submit(() -> AgentMain.run(args(false)));
        var hello = controlPlane.awaitHello(2);
        assertEquals(FakeControlPlane.DESKTOP_ID, hello.getDesktopId());
        assertEquals(FakeControlPlane.SECRET, hello.getDesktopCredential());
        assertEquals(1, controlPlane.registerCalls.get());
        controlPlane.revoke();
        assertEquals(3, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRefusedActivationExits2WithOneLineOnStderr() {
        controlPlane.registerError = Status.UNAUTHENTICATED.withDescription("unknown activation");
        String stderr = captureStderr(() -> assertEquals(2, AgentMain.run(args(true))));
        assertTrue(stderr.contains("registration failed: UNAUTHENTICATED: unknown activation"), stderr);
        assertTrue(Files.notExists(stateDir.resolve("credential.properties")));
    }

    @Test
    void registrationIsRetriedWhileTheControlPlaneIsUnavailable() throws Exception {
        controlPlane.registerError = Status.UNAVAILABLE.withDescription("handshake refused by test");
        Future<Integer> agent = mainThread.submit(() -> AgentMain.run(args(true)));
        Waits.until(() -> controlPlane.registerCalls.get() >= 2 ? true : null, Duration.ofSeconds(10));
        controlPlane.registerError = null;
        controlPlane.awaitHello(1);
        assertTrue(Files.exists(stateDir.resolve("credential.properties")));
        controlPlane.revoke();
        assertEquals(3, agent.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aClientCertificateWithoutItsKeyExits2() {
        List<String> args = new ArrayList<>(List.of(args(true)));
        args.addAll(List.of("--client-cert", stateDir.resolve("cert.pem").toString()));
        String stderr = captureStderr(() -> assertEquals(2, AgentMain.run(args.toArray(String[]::new))));
        assertTrue(stderr.contains("--client-cert and --client-key go together"), stderr);
        assertEquals(0, controlPlane.registerCalls.get());
    }

    @Test
    void aFirstStartWithoutActivationExits2() {
        String stderr = captureStderr(() -> assertEquals(2, AgentMain.run(args(false))));
        assertTrue(stderr.contains("first start needs --project-id"), stderr);
        assertEquals(0, controlPlane.registerCalls.get());
    }

    @Test
    void badArgumentsExit2() {
        assertEquals(2, AgentMain.run(new String[] {"--name", "d1"}));
        assertEquals(2, AgentMain.run(new String[] {"--server", "localhost", "--name", "d1"}));
    }

    private String[] args(boolean withActivation) {
        List<String> args = new ArrayList<>(List.of("--server", "localhost:" + server.getPort(), "--name", "desktop-1",
                "--state-dir", stateDir.toString(), "--tag", "team=qa"));
        if (withActivation) {
            args.addAll(List.of("--project-id", "p1", "--activation-id", "act-1", "--activation-code", "code-1",
                    "--pool-id", "pool-1"));
        }
        return args.toArray(String[]::new);
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
