package io.deskfleet.controlplane.cluster;

import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.deskfleet.controlplane.agentlink.AgentSessions;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;

/**
 * Replicas: sends to a desktop wherever its stream is held. A stream held here gets the message at once; one held by
 * another live replica gets it through {@link Outbox} (a row, a wake-up hint, and that replica's claim). A desktop
 * no live replica holds is offline: the sender keeps its work and sends again when the desktop's stream opens
 * (anywhere: see {@link SessionRegistry}).
 */
@Singleton
@Primary
@Requires(property = "deskfleet.replica.id")
public class ClusterGateway implements AgentGateway {
    private final AgentSessions local;
    private final SessionDirectory directory;
    private final Outbox outbox;
    private final Database db;
    private final ClusterBus bus;
    private final String me;

    public ClusterGateway(AgentSessions local, SessionDirectory directory, Outbox outbox, Database db, ClusterBus bus,
                          Replica replica) {
        this.local = local;
        this.directory = directory;
        this.outbox = outbox;
        this.db = db;
        this.bus = bus;
        this.me = replica.id();
    }

    @Override
    public boolean send(String desktopId, ControlMessage message) {
        if (local.send(desktopId, message)) {
            return true;
        }
        String holder = directory.holder(desktopId);
        if (holder == null || holder.equals(me)) {
            return false;
        }
        outbox.queue(desktopId, holder, message);
        return true;
    }

    @Override
    public boolean isConnected(String desktopId) {
        return local.isConnected(desktopId) || directory.holder(desktopId) != null;
    }

    /** Cuts the desktop's stream wherever it is held; its credential is refused from now on. */
    @Override
    public void revoke(String desktopId) {
        local.revoke(desktopId);
        directory.gone(desktopId);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_sessions WHERE desktop_id = ?")) {
                ps.setString(1, desktopId);
                ps.executeUpdate();
            }
            bus.publish(ClusterBus.SESSIONS, desktopId + " 0 " + SessionRegistry.REVOKED);
            return null;
        });
    }
}
