package io.deskfleet.controlplane.agentlink;

import io.deskfleet.controlplane.inventory.DesktopStateWriter;
import io.grpc.Status;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Once a second, on one thread: closes streams that have been silent longer than deskfleet.agent.offline-after
 * (the desktop goes offline) and writes the pending desktop state in one batch. Heartbeats that change nothing else
 * are written every {@link #HEARTBEAT_WRITE_PERIOD} and at disconnect (see {@link DesktopStateWriter}): reads take a
 * connected desktop's heartbeat time from memory, so the stored one matters only after a crash, when it may be that
 * much older than the last heartbeat.
 */
@Singleton
public class PresenceMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceMonitor.class);
    static final long TICK_MS = 1000;
    static final Duration HEARTBEAT_WRITE_PERIOD = Duration.ofMinutes(5);

    private final AgentSessions sessions;
    private final AgentLinkService service;
    private final DesktopStateWriter state;
    private final long offlineAfterNanos;
    private final long heartbeatTicks;
    /** Touched only by the timer thread. */
    private long ticks;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-presence");
        t.setDaemon(true);
        return t;
    });

    public PresenceMonitor(AgentSessions sessions, AgentLinkService service, DesktopStateWriter state,
                           @Value("${deskfleet.agent.offline-after:15s}") Duration offlineAfter) {
        this.sessions = sessions;
        this.service = service;
        this.state = state;
        this.offlineAfterNanos = offlineAfter.toNanos();
        this.heartbeatTicks = HEARTBEAT_WRITE_PERIOD.toMillis() / TICK_MS;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            sweep(System.nanoTime());
            state.flush(++ticks % heartbeatTicks == 0);
        } catch (RuntimeException e) {
            // A failed tick must not cancel the schedule.
            LOG.error("presence tick failed", e);
        }
    }

    void sweep(long nowNanos) {
        for (AgentSession session : sessions.all()) {
            if (nowNanos - session.lastSeenNanos() > offlineAfterNanos) {
                String desktopId = session.desktopId();
                if (sessions.remove(desktopId, session, StreamEnds.Why.NO_HEARTBEAT)) {
                    session.close(Status.UNAVAILABLE.withDescription("no heartbeat"));
                    service.disconnected(session, StreamEnds.Why.NO_HEARTBEAT);
                }
            }
        }
    }

    /** Stops the schedule and writes what is still pending. */
    void stop() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.flush(true);
    }
}
