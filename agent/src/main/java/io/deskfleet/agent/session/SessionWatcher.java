package io.deskfleet.agent.session;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.SessionEvent;
import io.deskfleet.agent.v1.SessionEventType;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Simulated user sessions. Desktops here have no real users, so a test or operator ends a session by creating the
 * file {@code <state-dir>/simulate/session-ended}; {@link #poll} (run every second on the event loop) then sends
 * SessionEvent USER_SESSION_ENDED and deletes the file. While the stream is down the file is left in place, so the
 * event is sent once the agent is connected again.
 */
public final class SessionWatcher {
    private static final System.Logger LOG = System.getLogger(SessionWatcher.class.getName());

    private final Path trigger;
    private final Predicate<AgentMessage> sender;
    private final LongSupplier clock;

    /** @param sender sends on the stream, false when the stream is not up */
    public SessionWatcher(Path stateDir, Predicate<AgentMessage> sender, LongSupplier clock) {
        this.trigger = stateDir.resolve("simulate").resolve("session-ended");
        this.sender = sender;
        this.clock = clock;
    }

    public void poll() {
        if (!Files.exists(trigger)) {
            return;
        }
        AgentMessage event = AgentMessage.newBuilder()
                .setSessionEvent(SessionEvent.newBuilder()
                        .setType(SessionEventType.SESSION_EVENT_TYPE_USER_SESSION_ENDED)
                        .setAtUnixMs(clock.getAsLong()))
                .build();
        if (!sender.test(event)) {
            return;
        }
        LOG.log(Level.INFO, "user session ended");
        try {
            Files.deleteIfExists(trigger);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + trigger + "; the event will repeat: " + e);
        }
    }
}
