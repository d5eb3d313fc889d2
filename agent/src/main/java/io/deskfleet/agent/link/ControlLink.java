package io.deskfleet.agent.link;

import io.deskfleet.agent.v1.AgentLinkGrpc;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Heartbeat;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.agent.v1.Welcome;
import io.deskfleet.link.Backoff;
import io.deskfleet.link.LinkStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The agent's one Connect stream, kept up for as long as the agent runs: Hello first, heartbeats after Welcome,
 * reconnect with backoff (honouring the server's retry hint) on any failure but a definitive refusal, which only
 * the control plane's {@code deskfleet-refusal} trailer makes (see agent.proto).
 * <p>
 * The channel has a connect backoff of its own (gRPC's: 1 s growing to 120 s) that would hold the stream down long
 * after the control plane is back; every attempt resets it, and a channel that reconnects while the agent waits
 * starts the next attempt at once, so the agent is back within its own backoff (at most 5 s) of the control plane.
 * Over several control plane replicas ({@link ReplicaChannels}) every failed attempt moves the next one to the next
 * replica, so the agent leaves a dead replica within its backoff, and a replica that does not welcome the stream
 * within {@link #WELCOME_TIMEOUT_MILLIS} (a hung process whose kernel still accepts connections) counts as failed.
 * With one address the agent waits for the Welcome as long as it takes: there is nowhere else to go, and a herd
 * that gave up on a slow control plane would only ask again. The connect line in the log names the address reached.
 * <p>
 * Confined to the agent's event loop: gRPC delivers the stream's callbacks there (the stub's executor is the
 * loop) and every method is called there, so the request observer, which is not thread-safe, has a single writer.
 */
public final class ControlLink {
    private static final System.Logger LOG = System.getLogger(ControlLink.class.getName());
    private static final long FALLBACK_HEARTBEAT_MILLIS = 15_000;
    public static final long WELCOME_TIMEOUT_MILLIS = Backoff.STREAM_WELCOME_TIMEOUT_MILLIS;

    public interface Handler {
        /** Built fresh for every stream, so it carries the current boot id, power state and running commands. */
        Hello hello();

        void welcomed(Welcome welcome);

        void received(ControlMessage message);

        /** The control plane refused this agent for good (e.g. revoked); the link stays down. */
        void refused(Refusal refusal, Status status);
    }

    private final ReplicaChannels replicas;
    private final Map<ManagedChannel, ChannelReadyWatch> reconnected = new HashMap<>();
    private final ScheduledExecutorService loop;
    private final Handler handler;
    private final Backoff backoff;
    private final LongSupplier clock;

    private Stream current;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> welcomeTimeout;
    private ScheduledFuture<?> pendingReconnect;
    private boolean open;

    public ControlLink(ReplicaChannels replicas, ScheduledExecutorService loop, Handler handler, Backoff backoff,
                       LongSupplier clock) {
        this.replicas = replicas;
        this.loop = loop;
        this.handler = handler;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Opens the stream and keeps reopening it until {@link #close} or a definitive refusal. */
    public void open() {
        open = true;
        connect();
    }

    /** Ends the stream without reconnecting. */
    public void close() {
        open = false;
        if (pendingReconnect != null) {
            pendingReconnect.cancel(false);
            pendingReconnect = null;
        }
        Stream stream = current;
        drop();
        if (stream != null && stream.requests != null) {
            stream.requests.onCompleted();
        }
    }

    public boolean isWelcomed() {
        return current != null && current.welcomed;
    }

    /** Sends if the stream is up and welcomed; otherwise the message is dropped (callers make it durable if needed). */
    public boolean send(AgentMessage message) {
        if (!isWelcomed()) {
            return false;
        }
        current.requests.onNext(message);
        return true;
    }

    private void connect() {
        pendingReconnect = null;
        if (!open) {
            return;
        }
        ManagedChannel channel = replicas.current();
        channel.resetConnectBackoff();
        Stream stream = new Stream();
        current = stream;
        AgentLinkGrpc.newStub(channel).withExecutor(loop).withInterceptors(new RemotePeer(stream::reached))
                .connect(stream);
        stream.requests.onNext(AgentMessage.newBuilder().setHello(handler.hello()).build());
        if (replicas.several()) {
            welcomeTimeout = loop.schedule(stream::unanswered, WELCOME_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void drop() {
        current = null;
        cancelWelcomeTimeout();
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    private void lost(Throwable error) {
        drop();
        Status status = Status.fromThrowable(error);
        Optional<Refusal> refusal = LinkStatus.refusal(error);
        if (refusal.isPresent()) {
            open = false;
            handler.refused(refusal.get(), status);
            return;
        }
        if (!open) {
            return;
        }
        String failed = replicas.current().authority();
        replicas.failover();
        long delay = backoff.nextDelayMillis(LinkStatus.retryAfterMillis(error));
        LOG.log(Level.WARNING, "stream lost (" + LinkFailures.describe(status) + "), reconnecting in " + delay + " ms"
                + (replicas.several() ? " to " + replicas.current().authority() + " (was " + failed + ")" : ""));
        pendingReconnect = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        reconnected.computeIfAbsent(replicas.current(), this::watch).arm();
    }

    private void cancelWelcomeTimeout() {
        if (welcomeTimeout != null) {
            welcomeTimeout.cancel(false);
            welcomeTimeout = null;
        }
    }

    /** reconnectNow runs on the loop; once the agent has stopped the loop refuses it, and nothing is left to do. */
    private ChannelReadyWatch watch(ManagedChannel channel) {
        return new ChannelReadyWatch(channel, task -> {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException stopped) {
                // The agent is stopping.
            }
        }, this::reconnectNow);
    }

    /** The channel connected while a reconnect was waiting out its delay: no reason to wait longer. */
    private void reconnectNow() {
        if (pendingReconnect != null && pendingReconnect.cancel(false)) {
            connect();
        }
    }

    private final class Stream implements ClientResponseObserver<AgentMessage, ControlMessage> {
        private ClientCallStreamObserver<AgentMessage> requests;
        private SocketAddress peer;
        private boolean welcomed;

        private void reached(SocketAddress address) {
            peer = address;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(ControlMessage message) {
            if (current != this) {
                return;
            }
            if (message.hasWelcome() && !welcomed) {
                welcomed = true;
                cancelWelcomeTimeout();
                backoff.reset();
                long interval = message.getWelcome().getHeartbeatIntervalMs() > 0
                        ? message.getWelcome().getHeartbeatIntervalMs() : FALLBACK_HEARTBEAT_MILLIS;
                heartbeat = loop.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.MILLISECONDS);
                LOG.log(Level.INFO, "connected as " + message.getWelcome().getDesktopId() + " to "
                        + RemotePeer.describe(peer));
                handler.welcomed(message.getWelcome());
            } else if (welcomed) {
                handler.received(message);
            } else {
                LOG.log(Level.WARNING, "ignoring a control message that came before Welcome");
            }
        }

        /** Connected or not, the control plane did not answer Hello: give up on it, as on an error. */
        private void unanswered() {
            if (current == this && !welcomed) {
                requests.cancel("no Welcome within " + WELCOME_TIMEOUT_MILLIS + " ms", null);
            }
        }

        private void beat() {
            if (current == this) {
                send(AgentMessage.newBuilder()
                        .setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(clock.getAsLong()))
                        .build());
            }
        }

        @Override
        public void onError(Throwable error) {
            if (current == this) {
                lost(error);
            }
        }

        @Override
        public void onCompleted() {
            if (current == this) {
                lost(Status.UNAVAILABLE.withDescription("the control plane closed the stream").asRuntimeException());
            }
        }
    }
}
