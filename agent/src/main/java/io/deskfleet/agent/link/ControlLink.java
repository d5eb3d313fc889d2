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
 * <p>
 * Confined to the agent's event loop: gRPC delivers the stream's callbacks there (the stub's executor is the
 * loop) and every method is called there, so the request observer, which is not thread-safe, has a single writer.
 */
public final class ControlLink {
    private static final System.Logger LOG = System.getLogger(ControlLink.class.getName());
    private static final long FALLBACK_HEARTBEAT_MILLIS = 15_000;

    public interface Handler {
        /** Built fresh for every stream, so it carries the current boot id, power state and running commands. */
        Hello hello();

        void welcomed(Welcome welcome);

        void received(ControlMessage message);

        /** The control plane refused this agent for good (e.g. revoked); the link stays down. */
        void refused(Refusal refusal, Status status);
    }

    private final AgentLinkGrpc.AgentLinkStub stub;
    private final ManagedChannel channel;
    private final ChannelReadyWatch reconnected;
    private final ScheduledExecutorService loop;
    private final Handler handler;
    private final Backoff backoff;
    private final LongSupplier clock;

    private Stream current;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> pendingReconnect;
    private boolean open;

    public ControlLink(ManagedChannel channel, ScheduledExecutorService loop, Handler handler, Backoff backoff,
                       LongSupplier clock) {
        this.stub = AgentLinkGrpc.newStub(channel).withExecutor(loop);
        this.channel = channel;
        // reconnectNow runs on the loop; once the agent has stopped the loop refuses it, and nothing is left to do.
        this.reconnected = new ChannelReadyWatch(channel, task -> {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException stopped) {
                // The agent is stopping.
            }
        }, this::reconnectNow);
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
        channel.resetConnectBackoff();
        Stream stream = new Stream();
        current = stream;
        stub.connect(stream);
        stream.requests.onNext(AgentMessage.newBuilder().setHello(handler.hello()).build());
    }

    private void drop() {
        current = null;
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
        long delay = backoff.nextDelayMillis(LinkStatus.retryAfterMillis(error));
        LOG.log(Level.WARNING, "stream lost (" + LinkFailures.describe(status) + "), reconnecting in " + delay + " ms");
        pendingReconnect = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        reconnected.arm();
    }

    /** The channel connected while a reconnect was waiting out its delay: no reason to wait longer. */
    private void reconnectNow() {
        if (pendingReconnect != null && pendingReconnect.cancel(false)) {
            connect();
        }
    }

    private final class Stream implements ClientResponseObserver<AgentMessage, ControlMessage> {
        private ClientCallStreamObserver<AgentMessage> requests;
        private boolean welcomed;

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(ControlMessage message) {
            if (current != this) {
                return;
            }
            if (message.hasWelcome()) {
                welcomed = true;
                backoff.reset();
                long interval = message.getWelcome().getHeartbeatIntervalMs() > 0
                        ? message.getWelcome().getHeartbeatIntervalMs() : FALLBACK_HEARTBEAT_MILLIS;
                heartbeat = loop.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.MILLISECONDS);
                LOG.log(Level.INFO, "connected as " + message.getWelcome().getDesktopId());
                handler.welcomed(message.getWelcome());
            } else if (welcomed) {
                handler.received(message);
            } else {
                LOG.log(Level.WARNING, "ignoring a control message that came before Welcome");
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
