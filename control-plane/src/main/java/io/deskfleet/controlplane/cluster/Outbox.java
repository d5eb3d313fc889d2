package io.deskfleet.controlplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.controlplane.agentlink.AgentSessions;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replicas: commands for desktops whose stream another replica holds, routed through {@code agent_outbox} as
 * FleetDM routes live queries: the sender inserts rows (group-committed) and wakes the holder with a hint on commit;
 * the holder claims the rows of the desktops it holds ({@code FOR UPDATE SKIP LOCKED}, deleted as claimed) and sends
 * them down its streams. A sweep every {@link #SWEEP_MILLIS} ms is the guarantee when a hint is lost. A row whose
 * desktop moved meanwhile waits for its new holder; rows older than {@link #MAX_AGE_SECONDS} s are dropped, as the
 * task's owner re-sends what is still in flight when the desktop's stream opens again.
 */
@Singleton
@Requires(property = "deskfleet.replica.id")
public class Outbox {
    static final long SWEEP_MILLIS = 2_000;
    static final long MAX_AGE_SECONDS = 60;
    private static final int CLAIM = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private record Queued(String desktopId, String holder, ControlMessage message) {
    }

    private final Database db;
    private final ClusterBus bus;
    private final AgentSessions sessions;
    private final String me;
    private final GroupCommit<Queued> writer;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final ScheduledExecutorService claimer = ClusterThreads.timer("outbox-claim");

    public Outbox(Database db, ClusterBus bus, AgentSessions sessions, Replica replica) {
        this.db = db;
        this.bus = bus;
        this.sessions = sessions;
        this.me = replica.id();
        this.writer = new GroupCommit<>("outbox-writer", this::write);
        bus.on(ClusterBus.WAKE, payload -> {
            if (payload.lines().anyMatch(me::equals)) {
                wake();
            }
        });
        bus.onReconnect(this::wake);
        claimer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    void queue(String desktopId, String holder, ControlMessage message) {
        writer.add(new Queued(desktopId, holder, message));
    }

    /** Claims soon, on the claimer's thread (one claim at a time; hints that arrive meanwhile fold into one). */
    void wake() {
        if (wanted.compareAndSet(false, true)) {
            claimer.execute(this::claimAll);
        }
    }

    private void write(List<Queued> batch) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_outbox (desktop_id, message, created_at)"
                    + " VALUES (?, ?, clock_timestamp())")) {
                for (Queued q : batch) {
                    ps.setString(1, q.desktopId());
                    ps.setBytes(2, q.message().toByteArray());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Set<String> holders = new LinkedHashSet<>();
            batch.forEach(q -> holders.add(q.holder()));
            bus.publishAll(ClusterBus.WAKE, holders);
            return null;
        });
    }

    private void sweep() {
        try {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_outbox WHERE created_at"
                        + " < clock_timestamp() - interval '" + MAX_AGE_SECONDS + " seconds'")) {
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("outbox clean-up failed", e);
        }
        wanted.set(true);
        claimAll();
    }

    private void claimAll() {
        try {
            while (wanted.getAndSet(false)) {
                int claimed;
                do {
                    claimed = claim();
                } while (claimed == CLAIM);
            }
        } catch (RuntimeException e) {
            LOG.error("outbox claim failed; the next sweep retries", e);
        }
    }

    /**
     * Claims one block of rows for the desktops held here and sends those whose stream is here now (a stream that
     * is still being set up, or already gone, keeps its rows for the next claim or the next holder); returns how many
     * were sent. Sent rows are deleted in the claim's transaction; should it fail, they are sent again, which the
     * agent ignores (it runs an invocation id once).
     */
    private int claim() {
        return db.inTransaction(c -> {
            List<Long> done = new ArrayList<>();
            int found = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.desktop_id, o.message FROM agent_outbox o"
                    + " JOIN agent_sessions s ON s.desktop_id = o.desktop_id WHERE s.replica_id = ?"
                    + " ORDER BY o.id LIMIT " + CLAIM + " FOR UPDATE OF o SKIP LOCKED")) {
                ps.setString(1, me);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found++;
                        long id = rs.getLong(1);
                        String desktopId = rs.getString(2);
                        if (!sessions.isConnected(desktopId)) {
                            continue;
                        }
                        try {
                            sessions.send(desktopId, ControlMessage.parseFrom(rs.getBytes(3)));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.error("outbox row {} unreadable; dropped", id, e);
                        }
                        done.add(id);
                    }
                }
            }
            if (!done.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_outbox WHERE id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", done.toArray()));
                    ps.executeUpdate();
                }
            }
            return found == CLAIM && done.size() == found ? CLAIM : done.size();
        });
    }

    @PreDestroy
    void close() {
        claimer.shutdownNow();
    }
}
