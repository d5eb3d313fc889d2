package io.deskfleet.bench.swarm;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Heartbeat;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.RegisterRequest;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.link.Backoff;
import io.deskfleet.link.LinkStatus;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One simulated desktop: a few hundred bytes of state plus its share of a multiplexed channel. It owns no thread;
 * gRPC callbacks and the swarm's scheduler call into it, and every method touching the stream is synchronized on
 * the agent, so its outbound StreamObserver is only ever used by one thread at a time.
 */
final class SimulatedAgent {
    /** Fallback when a Welcome carries no interval: the control plane's default. */
    private static final long DEFAULT_HEARTBEAT_MS = 5_000;
    /** The real agent's deadline per Register attempt. */
    private static final long REGISTER_DEADLINE_SECONDS = 10;

    private final DesktopSwarm swarm;
    private final String name;
    private final SwarmConnection connection;
    // A reconnect is not a reboot, so the boot id lives as long as this object.
    private final String bootId = UUID.randomUUID().toString();
    // Every invocation id ever seen: an id is run at most once. Acknowledged ones keep only the shared marker.
    private final Map<String, Invocation> invocations = new HashMap<>(4);

    private volatile String desktopId;
    private String credential;
    private ClientCallStreamObserver<AgentMessage> outbound;
    private boolean welcomed;
    private ScheduledFuture<?> heartbeats;
    /** When the current stream's last heartbeat went, or its Welcome came. */
    private long lastBeatNanos;
    private ScheduledFuture<?> welcomeTimeout;
    private final Backoff streamBackoff;
    private Runnable onFirstHandshake;

    SimulatedAgent(DesktopSwarm swarm, String name, SwarmConnection connection) {
        this.swarm = swarm;
        this.name = name;
        this.connection = connection;
        this.streamBackoff = new Backoff(swarm.reconnectBackoff().toMillis(), Backoff.STREAM_MAX_MILLIS,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    String name() {
        return name;
    }

    String desktopId() {
        return desktopId;
    }

    synchronized boolean isWelcomed() {
        return welcomed;
    }

    /** The index of the address this agent's connection uses now. */
    int address() {
        return connection.address();
    }

    /**
     * Registers as the real agent does (io.deskfleet.link): every failure but a definitive refusal is retried with
     * the agent's registration backoff, the control plane's retry hint honoured; {@code done} gets null once
     * registered, or the refusal.
     */
    void register(SwarmConfig config, Consumer<Throwable> done) {
        RegisterRequest request = RegisterRequest.newBuilder()
                .setProjectId(config.projectId())
                .setActivationId(config.activationId())
                .setActivationCode(config.activationCode())
                .setPoolId(config.poolId())
                .setComputerName(name)
                .setAgentVersion(DesktopSwarm.AGENT_VERSION)
                .setOsType("Linux")
                .setRequestId(UUID.randomUUID().toString())
                .build();
        attemptRegister(request, Backoff.forRegistration(() -> ThreadLocalRandom.current().nextDouble()), done);
    }

    private void attemptRegister(RegisterRequest request, Backoff backoff, Consumer<Throwable> done) {
        swarm.registerCalled();
        AgentLinkGrpc.newStub(connection.channel()).withDeadlineAfter(REGISTER_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .register(request, new StreamObserver<>() {
                    @Override
                    public void onNext(RegisterResponse response) {
                        synchronized (SimulatedAgent.this) {
                            credential = response.getDesktopCredential();
                        }
                        desktopId = response.getDesktopId();
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (LinkStatus.refusal(t).isPresent() || swarm.isClosed()) {
                            done.accept(t);
                            return;
                        }
                        swarm.registerFailed(Status.fromThrowable(t).getCode());
                        long delay = backoff.nextDelayMillis(LinkStatus.retryAfterMillis(t));
                        swarm.scheduler().schedule(() -> attemptRegister(request, backoff, done), delay,
                                TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void onCompleted() {
                        done.accept(null);
                    }
                });
    }

    /** Opens the stream; firstHandshake runs once, when the first Welcome arrives or the first attempt fails. */
    synchronized void connect(Runnable firstHandshake) {
        onFirstHandshake = firstHandshake;
        openStream();
    }

    private synchronized void openStream() {
        if (swarm.isClosed()) {
            return;
        }
        welcomed = false;
        Stream stream = new Stream(connection.channel());
        AgentLinkGrpc.newStub(stream.channel).connect(stream);
        outbound.onNext(AgentMessage.newBuilder().setHello(hello()).build());
        if (connection.several()) {
            // As the real agent: a replica that does not welcome in time counts as failed, and the next one is tried.
            welcomeTimeout = swarm.scheduler().schedule(() -> unanswered(stream),
                    Backoff.STREAM_WELCOME_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void unanswered(Stream stream) {
        if (stream.requests == outbound && !welcomed) {
            outbound.cancel("no Welcome within " + Backoff.STREAM_WELCOME_TIMEOUT_MILLIS + " ms", null);
        }
    }

    private void cancelWelcomeTimeout() {
        if (welcomeTimeout != null) {
            welcomeTimeout.cancel(false);
            welcomeTimeout = null;
        }
    }

    private Hello hello() {
        Hello.Builder hello = Hello.newBuilder()
                .setDesktopId(desktopId)
                .setDesktopCredential(credential)
                .setBootId(bootId)
                .setAgentVersion(DesktopSwarm.AGENT_VERSION)
                .addInterpreters(Interpreter.INTERPRETER_SHELL)
                .setPowerState(PowerState.POWER_STATE_RUNNING);
        invocations.forEach((id, invocation) -> {
            if (invocation.isRunning()) {
                hello.addRunningInvocationIds(id);
            }
        });
        return hello.build();
    }

    private synchronized void onMessage(Stream from, ControlMessage message) {
        if (from.requests != outbound) {
            return;
        }
        switch (message.getBodyCase()) {
            case WELCOME -> welcome(message.getWelcome().getHeartbeatIntervalMs());
            case RUN -> run(message.getRun());
            case ACK -> acknowledge(message.getAck().getInvocationId());
            // Simulated commands last only the configured latency and the bench sends no power actions, so
            // CancelCommand and PowerAction have nothing to act on.
            default -> {
            }
        }
    }

    private void welcome(long heartbeatIntervalMs) {
        if (!welcomed) {
            welcomed = true;
            swarm.agentConnected();
        }
        cancelWelcomeTimeout();
        streamBackoff.reset();
        long interval = heartbeatIntervalMs > 0 ? heartbeatIntervalMs : DEFAULT_HEARTBEAT_MS;
        stopHeartbeats();
        lastBeatNanos = System.nanoTime();
        // Staggered so that 10,000 agents welcomed in the same second do not all beat in the same millisecond.
        heartbeats = swarm.scheduler().scheduleAtFixedRate(this::heartbeat,
                ThreadLocalRandom.current().nextLong(interval), interval, TimeUnit.MILLISECONDS);
        // Results the control plane has not acknowledged yet go again on every new stream.
        invocations.values().forEach(invocation -> {
            if (invocation.result != null) {
                send(AgentMessage.newBuilder().setResult(invocation.result).build());
            }
        });
        firstHandshakeDone();
    }

    private synchronized void heartbeat() {
        long now = System.nanoTime();
        swarm.heartbeatSent(now - lastBeatNanos);
        lastBeatNanos = now;
        send(AgentMessage.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(System.currentTimeMillis()))
                .build());
    }

    private void run(RunCommand command) {
        String id = command.getInvocationId();
        Invocation seen = invocations.get(id);
        if (seen != null) {
            // Never run twice: resend the stored result, or stay quiet while it is still running or acknowledged.
            swarm.ledger().redelivered();
            if (seen.result != null) {
                send(AgentMessage.newBuilder().setResult(seen.result).build());
            }
            return;
        }
        swarm.commandArrived(new CommandArrival(desktopId, id, System.nanoTime()));
        swarm.ledger().executed(id);
        Invocation invocation = new Invocation(System.currentTimeMillis());
        invocations.put(id, invocation);
        send(AgentMessage.newBuilder().setStarted(InvocationStarted.newBuilder()
                .setInvocationId(id).setStartedAtUnixMs(invocation.startedAtMs)).build());
        int exitCode = swarm.nextExitCode();
        long latencyMs = swarm.latency().toMillis();
        if (latencyMs == 0) {
            finish(id, invocation, exitCode);
        } else {
            swarm.scheduler().schedule(() -> finish(id, invocation, exitCode), latencyMs, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void finish(String id, Invocation invocation, int exitCode) {
        invocation.result = InvocationResult.newBuilder()
                .setInvocationId(id)
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED)
                .setExitCode(exitCode)
                .setOutput(name + "\n")
                .setStartedAtUnixMs(invocation.startedAtMs)
                .setFinishedAtUnixMs(System.currentTimeMillis())
                .build();
        swarm.ledger().resultSent(id, exitCode);
        send(AgentMessage.newBuilder().setResult(invocation.result).build());
    }

    private void acknowledge(String id) {
        Invocation invocation = invocations.get(id);
        if (invocation != null && invocation.result != null) {
            invocations.put(id, Invocation.ACKNOWLEDGED);
            swarm.ledger().acknowledged(id);
        }
    }

    /** Sends on the current stream once it is welcomed; otherwise the message waits for the next Welcome. */
    private void send(AgentMessage message) {
        if (welcomed) {
            outbound.onNext(message);
        }
    }

    private synchronized void onClosed(Stream from, Throwable error) {
        if (from.requests != outbound) {
            return;
        }
        outbound = null;
        stopHeartbeats();
        cancelWelcomeTimeout();
        if (welcomed) {
            welcomed = false;
            swarm.agentDisconnected();
        }
        firstHandshakeDone();
        if (swarm.isClosed()) {
            return;
        }
        // With several addresses the next stream goes to the next one (after the same backoff).
        connection.streamFailed(from.channel);
        // The real agent's stream backoff (ControlLink): the control plane's retry hint honoured.
        long delay = streamBackoff.nextDelayMillis(error == null ? OptionalLong.empty()
                : LinkStatus.retryAfterMillis(error));
        swarm.scheduler().schedule(this::openStream, delay, TimeUnit.MILLISECONDS);
    }

    private void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
    }

    private void firstHandshakeDone() {
        if (onFirstHandshake != null) {
            Runnable callback = onFirstHandshake;
            onFirstHandshake = null;
            callback.run();
        }
    }

    /**
     * Breaks the current stream as a flaky network would: whatever was in flight on it may be lost, and the agent
     * reconnects with its usual backoff, keeping what it ran and its unacknowledged results.
     */
    synchronized void dropStream() {
        if (outbound != null) {
            // Not welcomed from here on: a cancelled call throws on send, and what is not sent now waits for the
            // next Welcome (results) or is lost as on a real network (Started, heartbeats).
            if (welcomed) {
                welcomed = false;
                swarm.agentDisconnected();
            }
            stopHeartbeats();
            outbound.cancel("simulated network drop", null);
        }
    }

    /** Ends the stream for good (the swarm is closing): no reconnect, nothing more sent. */
    synchronized void disconnect() {
        stopHeartbeats();
        cancelWelcomeTimeout();
        if (outbound != null) {
            ClientCallStreamObserver<AgentMessage> stream = outbound;
            outbound = null;
            if (welcomed) {
                welcomed = false;
                swarm.agentDisconnected();
            }
            stream.cancel("swarm closing", null);
        }
    }

    /** One stream attempt; callbacks from an attempt that has been replaced are ignored. */
    private final class Stream implements ClientResponseObserver<AgentMessage, ControlMessage> {
        private final Channel channel;
        private ClientCallStreamObserver<AgentMessage> requests;

        Stream(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            requests = requestStream;
            // beforeStart runs inside connect(), which holds the agent's lock.
            outbound = requestStream;
        }

        @Override
        public void onNext(ControlMessage message) {
            onMessage(this, message);
        }

        @Override
        public void onError(Throwable t) {
            onClosed(this, t);
        }

        @Override
        public void onCompleted() {
            onClosed(this, null);
        }
    }

    /** A command this agent has seen: running while result is null, then holding its result until acknowledged. */
    private static final class Invocation {
        static final Invocation ACKNOWLEDGED = new Invocation(0);

        final long startedAtMs;
        InvocationResult result;

        Invocation(long startedAtMs) {
            this.startedAtMs = startedAtMs;
        }

        boolean isRunning() {
            return this != ACKNOWLEDGED && result == null;
        }
    }
}
