package io.deskfleet.bench.swarm;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.PowerState;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesktopSwarmTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Queue<CommandArrival> arrivals = new ConcurrentLinkedQueue<>();
    private FakeAgentLink fake;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void twoHundredAgentsRegisterAndEachHoldsItsOwnStream() throws Exception {
        DesktopSwarm swarm = swarm(200, 0, Duration.ZERO, 0, 5_000);

        assertEquals(200, swarm.registered());
        assertEquals(200, swarm.connected());
        List<String> ids = swarm.desktopIds();
        assertEquals(200, new HashSet<>(ids).size(), "distinct desktop ids");
        for (String id : ids) {
            List<Hello> hellos = fake.hellos(id);
            assertEquals(1, hellos.size(), "one Hello from " + id);
            Hello hello = hellos.get(0);
            assertEquals(id, hello.getDesktopId());
            assertEquals(List.of(Interpreter.INTERPRETER_SHELL), hello.getInterpretersList());
            assertEquals(PowerState.POWER_STATE_RUNNING, hello.getPowerState());
            assertFalse(hello.getBootId().isEmpty());
        }
    }

    @Test
    void agentsOfAServerThatGoesAwaySplitOverTheOthersAndFinishWhatTheyRan() throws Exception {
        fake = new FakeAgentLink(5_000);
        List<String> names = new ArrayList<>();
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add(InProcessServerBuilder.generateName());
            Server server = InProcessServerBuilder.forName(names.get(i)).addService(fake).build().start();
            servers.add(server);
            resources.add(() -> server.shutdownNow().awaitTermination());
        }
        SwarmConfig config = new SwarmConfig("project-1", "pool-1", FakeAgentLink.ACTIVATION_ID,
                FakeAgentLink.ACTIVATION_CODE, 12, 0, Duration.ofMillis(300), 0, Duration.ofMillis(20), 0, 1);
        DesktopSwarm swarm = DesktopSwarm.start(config,
                SwarmAddresses.inTurn(3, (connection, address) -> InProcessChannelBuilder.forName(names.get(address))),
                arrivals::add);
        resources.add(swarm);
        swarm.awaitConnected(PATIENCE);
        assertEquals(List.of(4, 4, 4), counts(swarm.welcomedByAddress(3)), "desktop i on server i % 3");
        String onFirst = swarm.desktopIds().get(0);
        fake.run(onFirst, "inv-1");
        eventually(() -> !arrivals.isEmpty(), () -> "inv-1 arriving at " + onFirst);

        servers.get(0).shutdownNow().awaitTermination();

        eventually(() -> counts(swarm.welcomedByAddress(3)).equals(List.of(0, 6, 6)),
                () -> "the first server's 4 desktops split over the others, got "
                        + counts(swarm.welcomedByAddress(3)));
        awaitResults(onFirst, "inv-1", 1);
        assertEquals(1, swarm.ledger().executions("inv-1"), "run once, its result sent again on the new stream");
    }

    private static List<Integer> counts(int[] counts) {
        return Arrays.stream(counts).boxed().toList();
    }

    @Test
    void runCommandIsAnsweredWithStartedThenResultAfterTheLatency() throws Exception {
        DesktopSwarm swarm = swarm(3, 7, Duration.ofMillis(100), 0, 5_000);
        String desktop = swarm.desktopIds().get(1);

        long sentAt = System.nanoTime();
        fake.run(desktop, "inv-1");
        List<InvocationResult> results = awaitResults(desktop, "inv-1", 1);
        long answeredAfterMs = (System.nanoTime() - sentAt) / 1_000_000;

        List<AgentMessage> messages = fake.received(desktop);
        int started = indexOf(messages, m -> m.hasStarted() && m.getStarted().getInvocationId().equals("inv-1"));
        int result = indexOf(messages, m -> m.hasResult() && m.getResult().getInvocationId().equals("inv-1"));
        assertTrue(started >= 0 && started < result, "Started before Result: " + messages);
        InvocationResult answer = results.get(0);
        assertEquals(InvocationStatus.INVOCATION_STATUS_EXITED, answer.getStatus());
        assertEquals(7, answer.getExitCode());
        assertEquals(fake.computerName(desktop) + "\n", answer.getOutput());
        assertTrue(answeredAfterMs >= 100, "result came after the latency, took " + answeredAfterMs + " ms");
        assertEquals(List.of("inv-1"), arrivals.stream().map(CommandArrival::invocationId).toList());
        assertEquals(desktop, arrivals.peek().desktopId());
    }

    @Test
    void aRepeatedRunCommandIsNotRunAgainButItsResultIsResent() throws Exception {
        DesktopSwarm swarm = swarm(1, 0, Duration.ZERO, 0, 5_000);
        String desktop = swarm.desktopIds().get(0);

        fake.run(desktop, "inv-1");
        InvocationResult first = awaitResults(desktop, "inv-1", 1).get(0);
        fake.run(desktop, "inv-1");
        List<InvocationResult> both = awaitResults(desktop, "inv-1", 2);

        assertEquals(first, both.get(1), "the stored result, not a new run");
        assertEquals(1, startedCount(desktop, "inv-1"));
        assertEquals(1, arrivals.size());

        // Once acknowledged, a further copy of the command gets no answer at all. inv-2 behind it on the same
        // stream shows the copy has been handled.
        fake.ack(desktop, "inv-1");
        fake.run(desktop, "inv-1");
        fake.run(desktop, "inv-2");
        awaitResults(desktop, "inv-2", 1);
        assertEquals(2, results(desktop, "inv-1").size());
        assertEquals(1, startedCount(desktop, "inv-1"));
    }

    @Test
    void resultsAreResentOnEveryNewStreamUntilAcknowledged() throws Exception {
        DesktopSwarm swarm = swarm(1, 0, Duration.ZERO, 0, 5_000);
        String desktop = swarm.desktopIds().get(0);
        fake.run(desktop, "inv-1");
        awaitResults(desktop, "inv-1", 1);

        fake.breakStream(desktop);
        awaitReconnect(desktop, 2);
        awaitResults(desktop, "inv-1", 2);

        fake.breakStream(desktop);
        awaitReconnect(desktop, 3);
        awaitResults(desktop, "inv-1", 3);
        fake.ack(desktop, "inv-1");

        fake.breakStream(desktop);
        awaitReconnect(desktop, 4);
        fake.run(desktop, "inv-2");
        awaitResults(desktop, "inv-2", 1);
        assertEquals(3, results(desktop, "inv-1").size(), "not resent after the ack");
        assertEquals(1, swarm.connected());
    }

    @Test
    void aCommandRunningAcrossAReconnectIsReportedInHelloAndNotStartedAgain() throws Exception {
        DesktopSwarm swarm = swarm(1, 0, Duration.ofMillis(500), 0, 5_000);
        String desktop = swarm.desktopIds().get(0);
        fake.run(desktop, "inv-1");
        eventually(() -> startedCount(desktop, "inv-1") == 1, () -> "Started for inv-1");

        fake.breakStream(desktop);
        awaitReconnect(desktop, 2);
        // The control plane re-sends what it had not seen finish.
        fake.run(desktop, "inv-1");
        awaitResults(desktop, "inv-1", 1);

        assertEquals(List.of("inv-1"), fake.hellos(desktop).get(1).getRunningInvocationIdsList());
        assertEquals(1, startedCount(desktop, "inv-1"));
    }

    @Test
    void churnBreaksStreamsAtRandomAndTheLedgerCountsEachRunOnce() throws Exception {
        DesktopSwarm swarm = swarm(5, 0, Duration.ZERO, 0, 5_000);
        String desktop = swarm.desktopIds().get(0);
        fake.run(desktop, "inv-1");
        awaitResults(desktop, "inv-1", 1);

        swarm.churn(Duration.ofMillis(30));
        for (String id : swarm.desktopIds()) {
            eventually(() -> fake.hellos(id).size() >= 3, () -> "two reconnects of " + id);
        }
        swarm.stopChurn();
        swarm.awaitConnected(PATIENCE);
        fake.run(desktop, "inv-1");
        eventually(() -> swarm.ledger().redeliveries() == 1, () -> "the copy of inv-1 seen");

        assertTrue(swarm.drops() >= 10, "drops: " + swarm.drops());
        assertEquals(1, swarm.ledger().executions("inv-1"));
        assertEquals(0, swarm.ledger().sentExitCode("inv-1"));
        assertEquals(1, startedCount(desktop, "inv-1"));
    }

    @Test
    void heartbeatsArriveAtTheIntervalTheWelcomeGives() throws Exception {
        DesktopSwarm swarm = swarm(20, 0, Duration.ZERO, 0, 50);

        for (String desktop : swarm.desktopIds()) {
            eventually(() -> fake.received(desktop).stream().filter(AgentMessage::hasHeartbeat).count() >= 3,
                    () -> "3 heartbeats from " + desktop + ", got " + fake.received(desktop));
        }
    }

    /** No client-side limit, a control plane shedding most of the herd: every agent retries until registered. */
    @Test
    void anUnthrottledHerdThatIsShedRetriesUntilEveryAgentIsRegistered() throws Exception {
        fake = new FakeAgentLink(5_000);
        fake.toShed.set(300);
        DesktopSwarm swarm = start(config(200, FakeAgentLink.ACTIVATION_CODE));
        swarm.awaitConnected(PATIENCE);

        assertEquals(200, swarm.registered());
        assertEquals(0, swarm.gaveUp());
        assertEquals(300, swarm.registerShed());
        assertEquals(500, swarm.registerCalls());
    }

    @Test
    void aRefusedRegistrationIsNotRetriedAndTheStartSaysHowManyGaveUp() throws Exception {
        fake = new FakeAgentLink(5_000);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> start(config(3, "wrong code")));
        assertTrue(refused.getMessage().startsWith("3 of 3 agents gave up registering; the first: Register of "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("UNAUTHENTICATED unknown activation"), refused.getMessage());
    }

    @Test
    void theFirstKCommandsOfTheSwarmFail() throws Exception {
        DesktopSwarm swarm = swarm(5, 0, Duration.ZERO, 2, 5_000);

        List<Integer> exitCodes = new ArrayList<>();
        for (String desktop : swarm.desktopIds()) {
            fake.run(desktop, "inv-" + desktop);
            exitCodes.add(awaitResults(desktop, "inv-" + desktop, 1).get(0).getExitCode());
        }

        assertEquals(List.of(1, 1, 0, 0, 0), exitCodes);
    }

    private DesktopSwarm swarm(int agents, int exitCode, Duration latency, int failFirst, long heartbeatMs)
            throws Exception {
        fake = new FakeAgentLink(heartbeatMs);
        SwarmConfig config = new SwarmConfig("project-1", "pool-1", FakeAgentLink.ACTIVATION_ID,
                FakeAgentLink.ACTIVATION_CODE, agents, exitCode, latency, failFirst, Duration.ofMillis(20),
                64, 1);
        DesktopSwarm swarm = start(config);
        swarm.awaitConnected(PATIENCE);
        return swarm;
    }

    private static SwarmConfig config(int agents, String activationCode) {
        return SwarmConfig.of("project-1", "pool-1", FakeAgentLink.ACTIVATION_ID, activationCode, agents, 0,
                Duration.ZERO);
    }

    /** A swarm against {@link #fake}, served in process. */
    private DesktopSwarm start(SwarmConfig config) throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).addService(fake).build().start();
        resources.add(() -> server.shutdownNow().awaitTermination());
        DesktopSwarm swarm = DesktopSwarm.start(config, connection -> InProcessChannelBuilder.forName(name), arrivals::add);
        resources.add(swarm);
        return swarm;
    }

    private List<InvocationResult> awaitResults(String desktop, String invocationId, int count) {
        eventually(() -> results(desktop, invocationId).size() >= count,
                () -> count + " results for " + invocationId + " from " + desktop + ", got " + fake.received(desktop));
        return results(desktop, invocationId);
    }

    private void awaitReconnect(String desktop, int hellos) {
        eventually(() -> fake.hellos(desktop).size() == hellos && fake.connected(desktop),
                () -> "Hello number " + hellos + " from " + desktop);
    }

    private List<InvocationResult> results(String desktop, String invocationId) {
        return fake.received(desktop).stream().filter(AgentMessage::hasResult).map(AgentMessage::getResult)
                .filter(r -> r.getInvocationId().equals(invocationId)).toList();
    }

    private long startedCount(String desktop, String invocationId) {
        return fake.received(desktop).stream()
                .filter(m -> m.hasStarted() && m.getStarted().getInvocationId().equals(invocationId)).count();
    }

    private static int indexOf(List<AgentMessage> messages, java.util.function.Predicate<AgentMessage> match) {
        for (int i = 0; i < messages.size(); i++) {
            if (match.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void eventually(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
