package io.deskfleet.agent;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.RegisterRequest;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals(InvocationStatus.INVOCATION_STATUS_EXITED, result.getStatus());
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
    void eachDefinitiveRefusalExitsWithItsOwnCodeAndTellsTheOperatorWhatToDo() {
        record Case(Status status, Refusal refusal, int exitCode, String advice) {
        }
        List<Case> cases = List.of(
                new Case(Status.UNAUTHENTICATED, Refusal.ACTIVATION_UNKNOWN, 4, "check --project-id"),
                new Case(Status.FAILED_PRECONDITION, Refusal.ACTIVATION_EXPIRED, 5, "the activation has expired"),
                new Case(Status.FAILED_PRECONDITION, Refusal.ACTIVATION_USED_UP, 6, "registration limit is reached"),
                new Case(Status.INVALID_ARGUMENT, Refusal.WRONG_POOL, 7, "check --pool-id"),
                new Case(Status.INVALID_ARGUMENT, Refusal.INVALID_REGISTRATION, 8, "check --name and --tag"));
        for (Case c : cases) {
            controlPlane.registerError = FakeControlPlane.refusal(c.status().withDescription("refused by test"),
                    c.refusal());
            Path dir = stateDir.resolve(c.refusal().name());
            String stderr = captureStderr(() -> assertEquals(c.exitCode(), AgentMain.run(args(dir, true)),
                    c.refusal().name()));
            assertTrue(stderr.contains("registration refused: " + c.status().getCode() + ": refused by test; "),
                    stderr);
            assertTrue(stderr.contains(c.advice()), stderr);
            assertTrue(Files.notExists(dir.resolve("credential.properties")));
        }
        assertEquals(cases.size(), controlPlane.registerCalls.get(), "a refusal is not retried");
    }

    /**
     * The field report: a registration herd made Register miss its deadline and the agent exited. Every failure
     * without the control plane's refusal reason is retried, whatever its code, until the agent is registered.
     */
    @Test
    void everyFailureWithoutARefusalReasonIsRetriedUntilRegistered() throws Exception {
        controlPlane.registerFailures.addAll(List.of(
                Status.DEADLINE_EXCEEDED.withDescription("CallOptions deadline exceeded after 9.6s").asRuntimeException(),
                Status.INTERNAL.withDescription("a proxy's error").asRuntimeException(),
                Status.UNKNOWN.withDescription("HTTP status code 502").asRuntimeException(),
                Status.UNAUTHENTICATED.withDescription("a proxy's, without a refusal reason").asRuntimeException()));
        Future<Integer> agent = mainThread.submit(() -> AgentMain.run(args(stateDir, true)));
        controlPlane.awaitHello(1);
        assertEquals(5, controlPlane.registerCalls.get());
        assertEquals(1, controlPlane.registerRequests.stream().map(RegisterRequest::getRequestId).distinct().count(),
                "every retry carries the first attempt's request id, so a stored one is not registered twice");
        assertFalse(controlPlane.registerRequests.get(0).getRequestId().isEmpty());
        assertTrue(Files.exists(stateDir.resolve("credential.properties")));
        controlPlane.revoke();
        assertEquals(3, agent.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aShedRegistrationWaitsAtLeastTheControlPlanesRetryHint() throws Exception {
        controlPlane.registerFailures.add(FakeControlPlane.shed(1_500));
        Future<Integer> agent = mainThread.submit(() -> AgentMain.run(args(stateDir, true)));
        controlPlane.awaitHello(1);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(
                controlPlane.registerNanos.get(1) - controlPlane.registerNanos.get(0));
        // Own backoff alone would retry after 250-500 ms; the hint is spread over 1.5-2.25 s.
        assertTrue(gapMillis >= 1_500 && gapMillis < 3_500, gapMillis + " ms");
        controlPlane.revoke();
        assertEquals(3, agent.get(10, TimeUnit.SECONDS));
    }

    @Test
    void registrationIsRetriedWhileTheControlPlaneIsUnavailable() throws Exception {
        controlPlane.registerError = Status.UNAVAILABLE.withDescription("handshake refused by test").asRuntimeException();
        Future<Integer> agent = mainThread.submit(() -> AgentMain.run(args(stateDir, true)));
        Waits.until(() -> controlPlane.registerCalls.get() >= 2 ? true : null, Duration.ofSeconds(10));
        controlPlane.registerError = null;
        controlPlane.awaitHello(1);
        assertTrue(Files.exists(stateDir.resolve("credential.properties")));
        controlPlane.revoke();
        assertEquals(3, agent.get(10, TimeUnit.SECONDS));
    }

    /**
     * Replicas (issue 23): Register and the stream go through the same list, each attempt that an address refuses
     * moves on to the next (whatever order this agent drew), and the connect line names the address that took the
     * stream.
     */
    @Test
    void aListWithDeadAddressesRegistersAndConnectsThroughTheLiveOne() throws Exception {
        int[] dead = deadPorts(2);
        String servers = "127.0.0.1:" + dead[0] + ",127.0.0.1:" + server.getPort() + ",127.0.0.1:" + dead[1];
        long started = System.nanoTime();
        String stderr = captureStderr(() -> {
            Future<Integer> agent = mainThread.submit(() -> AgentMain.run(args(servers, stateDir, true)));
            controlPlane.awaitHello(1);
            long connectedMillis = (System.nanoTime() - started) / 1_000_000;
            // At worst both dead addresses first: two registration backoff steps, 0.25-0.5 s and 0.5-1 s.
            assertTrue(connectedMillis < 3_000, "connected after " + connectedMillis + " ms");
            controlPlane.revoke();
            assertEquals(3, Waits.until(() -> agent.isDone() ? exitCode(agent) : null, Duration.ofSeconds(10)));
        });
        assertTrue(stderr.contains(" INFO connected as " + FakeControlPlane.DESKTOP_ID + " to 127.0.0.1:"
                + server.getPort() + "\n"), stderr);
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
        return args(stateDir, withActivation);
    }

    private String[] args(Path dir, boolean withActivation) {
        return args("localhost:" + server.getPort(), dir, withActivation);
    }

    private String[] args(String servers, Path dir, boolean withActivation) {
        List<String> args = new ArrayList<>(List.of("--server", servers, "--name", "desktop-1",
                "--state-dir", dir.toString(), "--tag", "team=qa"));
        if (withActivation) {
            args.addAll(List.of("--project-id", "p1", "--activation-id", "act-1", "--activation-code", "code-1",
                    "--pool-id", "pool-1"));
        }
        return args.toArray(String[]::new);
    }

    /** Ports nothing listens on: connecting to them is refused. */
    private static int[] deadPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static Integer exitCode(Future<Integer> agent) {
        try {
            return agent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
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
