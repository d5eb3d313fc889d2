package io.deskfleet.controlplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.controlplane.agentlink.AgentSessions;
import io.deskfleet.controlplane.agentlink.StreamRegistry;
import io.deskfleet.controlplane.db.BatchedReads;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.RolloutEngine;
import io.deskfleet.controlplane.inventory.DesktopStore;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Replicas: who holds each desktop's stream, in {@code agent_sessions}. A stream opening here takes the row and
 * bumps its epoch, and says so on the bus; the replica holding an older stream of that desktop closes it, and every
 * replica re-sends what its tasks have in flight there. A sweep every {@link #SWEEP_SECONDS} s closes the streams
 * here that the table no longer names (a missed hint, or a revocation), so the table is the truth.
 */
@Singleton
@Requires(property = "deskfleet.replica.id")
public class SessionRegistry implements StreamRegistry {
    static final long SWEEP_SECONDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    /** The payload that says a desktop's stream must end wherever it is (DELETE of the desktop). */
    static final String REVOKED = "revoked";

    private final Database db;
    private final ClusterBus bus;
    private final AgentSessions sessions;
    private final RolloutEngine engine;
    private final Outbox outbox;
    private final SessionDirectory directory;
    private final DesktopStore desktops;
    private final String me;
    private final GroupCommit<Opening> openings;
    private final BatchedReads<String, Hello> hellos;
    private final ScheduledExecutorService timer = ClusterThreads.timer("session-sweep");

    public SessionRegistry(Database db, ClusterBus bus, AgentSessions sessions, RolloutEngine engine, Outbox outbox,
                           SessionDirectory directory, DesktopStore desktops, Replica replica) {
        this.desktops = desktops;
        this.db = db;
        this.bus = bus;
        this.sessions = sessions;
        this.engine = engine;
        this.outbox = outbox;
        this.directory = directory;
        this.me = replica.id();
        this.openings = new GroupCommit<>("session-registry", this::record);
        this.hellos = new BatchedReads<>("session-hellos", this::readHellos);
        bus.on(ClusterBus.SESSIONS, this::moved);
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /** Rows of a previous run of this replica name streams that died with it. */
    @Override
    public int reset() {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_sessions WHERE replica_id = ?")) {
                ps.setString(1, me);
                ps.executeUpdate();
            }
            return null;
        });
        return desktops.markOfflineUnlessHeldElsewhere(me, LeasedOwnership.LEASE);
    }

    record Opening(String desktopId, Hello hello, BooleanSupplier gone, CompletableFuture<Long> epoch) {
    }

    /** Group-committed: a herd of reconnecting agents costs a few transactions, not one per Hello. */
    @Override
    public CompletableFuture<Long> opened(String desktopId, Hello hello, BooleanSupplier gone) {
        CompletableFuture<Long> epoch = new CompletableFuture<>();
        openings.add(new Opening(desktopId, hello, gone, epoch));
        return epoch;
    }

    /**
     * The openings whose streams are still there; the others complete at once with {@link #NOT_RECORDED}. An agent
     * that gave up waiting for its Welcome has gone to another replica: recording its old stream now would take the
     * desktop's row from the stream it holds there (a higher epoch), and that replica would close it.
     */
    static List<Opening> live(List<Opening> batch) {
        List<Opening> live = new ArrayList<>(batch.size());
        for (Opening o : batch) {
            if (o.gone().getAsBoolean()) {
                o.epoch().complete(NOT_RECORDED);
            } else {
                live.add(o);
            }
        }
        return live;
    }

    private void record(List<Opening> all) {
        List<Opening> batch = live(all);
        if (batch.isEmpty()) {
            return;
        }
        List<Long> epochs = db.inTransaction(c -> {
            Map<Opening, Long> epochOf = new IdentityHashMap<>();
            List<String> lines = new ArrayList<>(batch.size());
            for (List<Opening> round : rounds(batch)) {
                Map<String, Long> stored = upsert(c, round);
                for (Opening o : round) {
                    epochOf.put(o, stored.get(o.desktopId()));
                    lines.add(o.desktopId() + " " + stored.get(o.desktopId()) + " " + me);
                }
            }
            bus.publishAll(ClusterBus.SESSIONS, lines);
            return batch.stream().map(epochOf::get).toList();
        });
        for (int i = 0; i < batch.size(); i++) {
            directory.held(batch.get(i).desktopId(), me);
            batch.get(i).epoch().complete(epochs.get(i));
        }
        // what other replicas queued while the desktops were between streams
        outbox.wake();
    }

    /**
     * The batch as consecutive rounds in which each desktop appears once (its first Hello in the first round, a
     * second one in the next...): one upsert statement cannot touch a row twice.
     */
    static List<List<Opening>> rounds(List<Opening> batch) {
        List<List<Opening>> rounds = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Opening o : batch) {
            int round = seen.merge(o.desktopId(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(o);
        }
        return rounds;
    }

    /**
     * Records the streams of one round in one statement (per-row statements made a herd of reconnecting desktops
     * wait on one round trip each, in a row); returns each desktop's new epoch.
     */
    private Map<String, Long> upsert(Connection c, List<Opening> round) throws SQLException {
        Map<String, Long> epochs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_sessions (desktop_id, replica_id, epoch,"
                + " connected_at, hello) SELECT d, ?, 1, clock_timestamp(), h FROM unnest(?, ?) AS u (d, h)"
                + " ON CONFLICT (desktop_id) DO UPDATE SET replica_id = EXCLUDED.replica_id,"
                + " epoch = agent_sessions.epoch + 1, connected_at = EXCLUDED.connected_at, hello = EXCLUDED.hello"
                + " RETURNING desktop_id, epoch")) {
            ps.setString(1, me);
            ps.setArray(2, c.createArrayOf("varchar", round.stream().map(Opening::desktopId).toArray()));
            ps.setArray(3, c.createArrayOf("bytea", round.stream().map(o -> o.hello().toByteArray())
                    .toArray(byte[][]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    epochs.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return epochs;
    }

    @Override
    public boolean closed(String desktopId, long epoch) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM agent_sessions WHERE desktop_id = ? AND replica_id = ? AND epoch = ?")) {
                ps.setString(1, desktopId);
                ps.setString(2, me);
                ps.setLong(3, epoch);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private void moved(String payload) {
        payload.lines().forEach(this::movedOne);
    }

    private void movedOne(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 3) {
            return;
        }
        String desktopId = parts[0];
        if (parts[2].equals(REVOKED)) {
            directory.gone(desktopId);
            sessions.revoke(desktopId);
            return;
        }
        if (parts[2].equals(me)) {
            return;
        }
        directory.held(desktopId, parts[2]);
        sessions.closeIfOlder(desktopId, Long.parseLong(parts[1]),
                "replaced by a newer stream for the same desktop on replica " + parts[2]);
        engine.onConnectedElsewhere(desktopId, this::hello);
    }

    /**
     * The Hello of the desktop's current stream, wherever it is. Read in batches: a replica's death moves thousands
     * of desktops at once, and the task owner asks for each one's Hello to re-send what it is not running; one query
     * each, in a row, delayed those re-sends by tens of seconds at 30,000 desktops.
     */
    CompletableFuture<Optional<Hello>> hello(String desktopId) {
        return hellos.get(desktopId);
    }

    private Map<String, Hello> readHellos(Set<String> desktopIds) {
        return db.query(c -> {
            Map<String, Hello> found = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT desktop_id, hello FROM agent_sessions WHERE desktop_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("varchar", desktopIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] bytes = rs.getBytes(2);
                        if (bytes == null) {
                            continue;
                        }
                        try {
                            found.put(rs.getString(1), Hello.parseFrom(bytes));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warn("desktop={} stored Hello unreadable", rs.getString(1), e);
                        }
                    }
                }
            }
            return found;
        });
    }

    /** Closes the streams here that the table gives to another stream, or to none (revoked). */
    void sweep() {
        try {
            Map<String, Long> here = sessions.epochs();
            Map<String, Long> rows = db.query(c -> {
                Map<String, Long> found = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT desktop_id, epoch FROM agent_sessions WHERE replica_id = ?")) {
                    ps.setString(1, me);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
                return found;
            });
            // Streams opened after the read began are newer than the read: only those known before it are judged.
            here.forEach((desktopId, epoch) -> {
                Long row = rows.get(desktopId);
                if (row == null || row > epoch) {
                    sessions.closeIfOlder(desktopId, row == null ? Long.MAX_VALUE : row,
                            "this replica no longer holds the desktop");
                }
            });
            // Rows naming this replica without a stream here (their close was not recorded): gone, unless young
            // enough to be a stream still saying Hello.
            Map<String, Long> now = sessions.epochs();
            rows.forEach((desktopId, epoch) -> {
                if (!now.containsKey(desktopId)) {
                    db.query(c -> {
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_sessions WHERE desktop_id = ?"
                                + " AND replica_id = ? AND epoch = ? AND connected_at < clock_timestamp()"
                                + " - interval '10 seconds'")) {
                            ps.setString(1, desktopId);
                            ps.setString(2, me);
                            ps.setLong(3, epoch);
                            return ps.executeUpdate();
                        }
                    });
                }
            });
        } catch (RuntimeException e) {
            LOG.error("session sweep failed", e);
        }
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
        hellos.close();
    }
}
