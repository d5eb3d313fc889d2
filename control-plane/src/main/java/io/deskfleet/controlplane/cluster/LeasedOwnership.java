package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.ExecutionQueries;
import io.deskfleet.controlplane.execution.TaskOwnership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Replicas: each running task is held by one replica under a lease in {@code task_leases} (owner, epoch,
 * expires_at), as db-scheduler and Temporal's shards do. Every batch of the owner's writes locks its tasks' lease
 * rows and checks their epoch in the same transaction; a replica taking a task over bumps the epoch, so a former
 * owner that was paused or cut off past its lease writes nothing more, and its agents' results go to the new owner.
 *
 * <p>Expiry is on the database's clock (the one clock the replicas share). This replica also counts its leases as
 * lost when it has not renewed them for {@link #LOCAL_VALIDITY} on its own monotonic clock, shorter than the lease:
 * a process resumed after a long pause acts on nothing before it has checked.
 */
@Singleton
@Requires(property = "deskfleet.replica.id")
public class LeasedOwnership implements TaskOwnership {
    /** How long a lease lasts past its last renewal. */
    static final Duration LEASE = Duration.ofSeconds(10);
    /** How long this replica trusts its leases without a renewal. */
    static final Duration LOCAL_VALIDITY = Duration.ofSeconds(8);
    private static final Logger LOG = LoggerFactory.getLogger(LeasedOwnership.class);
    private static final String EXPIRES = "clock_timestamp() + interval '" + LEASE.toSeconds() + " seconds'";

    private final Database db;
    private final ClusterBus bus;
    private final String me;
    /** Epoch of each task this replica holds. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final List<Consumer<String>> lostListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> takenListeners = new CopyOnWriteArrayList<>();
    private volatile long renewedNanos = System.nanoTime();
    private final Counter takenOver;
    private final Map<String, Counter> lostBy = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public LeasedOwnership(Database db, ClusterBus bus, Replica replica, MeterRegistry meters) {
        this.db = db;
        this.bus = bus;
        this.me = replica.id();
        this.meters = meters;
        this.takenOver = Counter.builder("deskfleet.task.leases.taken.over")
                .description("Running tasks this replica took from another (expired lease, or a stop posted here)")
                .register(meters);
        bus.on(ClusterBus.LEASES, this::leaseMoved);
    }

    @Override
    public boolean replicated() {
        return true;
    }

    @Override
    public void created(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_leases (task_id, owner, epoch, expires_at)"
                + " VALUES (?, ?, 1, " + EXPIRES + ")")) {
            ps.setString(1, taskId);
            ps.setString(2, me);
            ps.executeUpdate();
        }
    }

    @Override
    public void runs(String taskId) {
        held.put(taskId, 1L);
    }

    @Override
    public Set<String> fence(Connection c, Set<String> taskIds) throws SQLException {
        if (taskIds.isEmpty()) {
            return Set.of();
        }
        Map<String, Long> current = new HashMap<>();
        List<String> ids = List.copyOf(taskIds);
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id, epoch FROM task_leases WHERE owner = ?"
                + " AND task_id IN (" + Database.placeholders(ids.size()) + ") FOR SHARE")) {
            ps.setString(1, me);
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 2, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    current.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Set<String> fenced = new HashSet<>();
        for (String id : ids) {
            Long mine = held.get(id);
            if (mine == null || !mine.equals(current.get(id))) {
                fenced.add(id);
            }
        }
        for (String id : fenced) {
            LOG.warn("task={} writes refused: its lease moved to another replica", id);
            lost(id, "fenced");
        }
        return fenced;
    }

    @Override
    public void finished(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM task_leases WHERE task_id = ? AND owner = ?")) {
            ps.setString(1, taskId);
            ps.setString(2, me);
            ps.executeUpdate();
        }
    }

    @Override
    public boolean holds(String taskId) {
        return held.containsKey(taskId) && System.nanoTime() - renewedNanos < LOCAL_VALIDITY.toNanos();
    }

    /** The tasks this replica holds the lease of, as far as it knows (a snapshot). */
    Set<String> heldTasks() {
        return Set.copyOf(held.keySet());
    }

    /**
     * Takes the lease of an unfinished task (not held for approval), whoever holds it: inserted if nobody does,
     * its epoch bumped otherwise.
     */
    @Override
    public boolean takeOver(String taskId) {
        Long epoch = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_leases (task_id, owner, epoch, expires_at)"
                    + " SELECT id, ?, 1, " + EXPIRES + " FROM execution_tasks WHERE id = ? AND "
                    + ExecutionQueries.UNFINISHED
                    + " ON CONFLICT (task_id) DO UPDATE SET owner = EXCLUDED.owner, epoch = task_leases.epoch + 1,"
                    + " expires_at = EXCLUDED.expires_at RETURNING epoch")) {
                ps.setString(1, me);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    long e = rs.getLong(1);
                    announce(taskId, e);
                    return e;
                }
            }
        });
        if (epoch == null) {
            return false;
        }
        held.put(taskId, epoch);
        takenOver.increment();
        LOG.info("task={} taken over epoch={}", taskId, epoch);
        takenListeners.forEach(Runnable::run);
        return true;
    }

    @Override
    public void onLost(Consumer<String> listener) {
        lostListeners.add(listener);
    }

    /** Runs {@code listener} each time this replica gains leases (took tasks over, or adopted its own after a restart). */
    void onTaken(Runnable listener) {
        takenListeners.add(listener);
    }

    /** Renews this replica's leases; returns those it holds in the database, by task, with their epoch. */
    Map<String, Long> renew() {
        long before = System.nanoTime();
        // Only leases known before the update: one put meanwhile was committed after the update began.
        Map<String, Long> known = Map.copyOf(held);
        Map<String, Long> renewed = db.query(c -> {
            Map<String, Long> rows = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE task_leases SET expires_at = " + EXPIRES
                    + " WHERE owner = ? RETURNING task_id, epoch")) {
                ps.setString(1, me);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return rows;
        });
        for (Map.Entry<String, Long> mine : known.entrySet()) {
            if (!mine.getValue().equals(renewed.get(mine.getKey())) && mine.getValue().equals(held.get(mine.getKey()))) {
                lost(mine.getKey(), "renewal");
            }
        }
        renewedNanos = before;
        return renewed;
    }

    /** Takes over leases that expired (their owner died or stalled) and unfinished tasks nobody holds. */
    Map<String, Long> takeOverAbandoned() {
        Map<String, Long> taken = db.inTransaction(c -> {
            Map<String, Long> rows = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE task_leases SET owner = ?, epoch = epoch + 1,"
                    + " expires_at = " + EXPIRES + " WHERE task_id IN (SELECT task_id FROM task_leases"
                    + " WHERE expires_at < clock_timestamp() ORDER BY expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)"
                    + " RETURNING task_id, epoch")) {
                ps.setString(1, me);
                collect(ps, rows);
            }
            // A task approved (or created) by a replica that died before it took the lease: nobody runs it.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_leases (task_id, owner, epoch, expires_at)"
                    + " SELECT id, ?, 1, " + EXPIRES + " FROM execution_tasks WHERE " + ExecutionQueries.UNFINISHED
                    + " AND NOT EXISTS (SELECT 1 FROM task_leases l WHERE l.task_id = execution_tasks.id)"
                    + " LIMIT 100 ON CONFLICT (task_id) DO NOTHING RETURNING task_id, epoch")) {
                ps.setString(1, me);
                collect(ps, rows);
            }
            rows.forEach(this::announce);
            return rows;
        });
        held.putAll(taken);
        takenOver.increment(taken.size());
        if (!taken.isEmpty()) {
            takenListeners.forEach(Runnable::run);
        }
        return taken;
    }

    /** A lease of this replica's id that this process does not know (a previous run of it): bumped and held. */
    boolean adoptOwn(String taskId, long epoch) {
        Long bumped = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE task_leases SET epoch = epoch + 1 WHERE task_id = ?"
                    + " AND owner = ? AND epoch = ? RETURNING epoch")) {
                ps.setString(1, taskId);
                ps.setString(2, me);
                ps.setLong(3, epoch);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        if (bumped == null) {
            return false;
        }
        held.put(taskId, bumped);
        takenListeners.forEach(Runnable::run);
        return true;
    }

    boolean isHeld(String taskId) {
        return held.containsKey(taskId);
    }

    private static void collect(PreparedStatement ps, Map<String, Long> rows) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
    }

    /** Inside the transaction that moved the lease: the former owner hears it on commit. */
    private void announce(String taskId, long epoch) {
        bus.publish(ClusterBus.LEASES, taskId + " " + epoch + " " + me);
    }

    private void leaseMoved(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length == 3 && !parts[2].equals(me)) {
            Long mine = held.get(parts[0]);
            if (mine != null && mine < Long.parseLong(parts[1])) {
                LOG.info("task={} now runs on replica {}", parts[0], parts[2]);
                lost(parts[0], "moved");
            }
        }
    }

    /** @param how "moved" (told by the bus), "renewal" (found by the renewal) or "fenced" (a write was refused) */
    private void lost(String taskId, String how) {
        if (held.remove(taskId) != null) {
            lostBy.computeIfAbsent(how, h -> Counter.builder("deskfleet.task.leases.lost")
                    .description("Running tasks this replica stopped running because another took them over")
                    .tag("how", h).register(meters)).increment();
            lostListeners.forEach(l -> l.accept(taskId));
        }
    }
}
