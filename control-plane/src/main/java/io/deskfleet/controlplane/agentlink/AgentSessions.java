package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Refusal;
import io.deskfleet.link.LinkStatus;
import io.grpc.Status;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live agent streams by desktop id; the gRPC implementation of {@link AgentGateway}. */
@Singleton
public class AgentSessions implements AgentGateway {
    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    private final StreamEnds ends;

    public AgentSessions(StreamEnds ends) {
        this.ends = ends;
    }

    @Override
    public boolean send(String desktopId, ControlMessage message) {
        AgentSession session = sessions.get(desktopId);
        return session != null && session.enqueue(message);
    }

    @Override
    public boolean isConnected(String desktopId) {
        return sessions.containsKey(desktopId);
    }

    @Override
    public void revoke(String desktopId) {
        AgentSession session = sessions.remove(desktopId);
        if (session != null) {
            ends.count(StreamEnds.Why.REVOKED);
            session.close(Status.UNAUTHENTICATED.withDescription("desktop revoked"),
                    LinkStatus.refusalTrailers(Refusal.DESKTOP_REVOKED));
        }
    }

    /**
     * Replicas: closes the desktop's stream here if the registry gave a newer stream elsewhere (or none, epoch
     * {@code Long.MAX_VALUE}) than this one.
     */
    public void closeIfOlder(String desktopId, long newerEpoch, String why) {
        AgentSession session = sessions.get(desktopId);
        // Not recorded as a disconnection: the desktop is online, on the other replica.
        if (session != null && session.epoch() >= 0 && session.epoch() < newerEpoch && sessions.remove(desktopId, session)) {
            ends.count(StreamEnds.Why.MOVED);
            session.close(Status.ABORTED.withDescription(why));
        }
    }

    /** The epochs of the streams held here, by desktop (replicas). */
    public Map<String, Long> epochs() {
        Map<String, Long> epochs = new java.util.HashMap<>();
        sessions.forEach((id, s) -> {
            if (s.epoch() >= 0) {
                epochs.put(id, s.epoch());
            }
        });
        return epochs;
    }

    /** Makes {@code session} the desktop's stream, closing the one it replaces. */
    void put(String desktopId, AgentSession session) {
        AgentSession previous = sessions.put(desktopId, session);
        if (previous != null && previous != session) {
            ends.count(StreamEnds.Why.REPLACED);
            previous.close(Status.ABORTED.withDescription("replaced by a newer stream for the same desktop"));
        }
    }

    /**
     * Ends {@code session} as the desktop's current stream, counted under {@code why}.
     *
     * @return true when it was the current stream (and now is not)
     */
    boolean remove(String desktopId, AgentSession session, StreamEnds.Why why) {
        if (!sessions.remove(desktopId, session)) {
            return false;
        }
        ends.count(why);
        return true;
    }

    boolean isCurrent(AgentSession session) {
        String id = session.desktopId();
        return id != null && sessions.get(id) == session;
    }

    int connectedCount() {
        return sessions.size();
    }

    Collection<AgentSession> all() {
        return sessions.values();
    }
}
