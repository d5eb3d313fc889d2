package io.deskfleet.controlplane.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.RolloutEngine;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replicas: feeds this replica's engine the agent messages other replicas stored in {@code agent_inbox} for the
 * tasks it runs, and those of tasks nobody runs any more (late results, stored by whichever replica reads them
 * first: storing one twice changes nothing; they are read on full passes, see {@link InboxCursor}). A row is deleted
 * only once what it says is stored; if the task moved meanwhile, the row stays for its new owner. Woken by hints,
 * with a sweep every {@link #SWEEP_MILLIS} ms.
 */
@Context
@Requires(property = "deskfleet.replica.id")
public class InboxConsumer {
    static final long SWEEP_MILLIS = 1_000;
    private static final int CLAIM = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(InboxConsumer.class);

    private final Database db;
    private final RolloutEngine engine;
    private final LeasedOwnership leases;
    private final String me;
    /** Rows handed to the engine and not yet stored: not handed again meanwhile. */
    private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
    private final GroupCommit<Long> deletes;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final InboxCursor cursor = new InboxCursor();
    private final ScheduledExecutorService reader = ClusterThreads.timer("inbox-read");

    public InboxConsumer(Database db, RolloutEngine engine, ClusterBus bus, LeasedOwnership leases, Replica replica) {
        this.db = db;
        this.engine = engine;
        this.leases = leases;
        this.me = replica.id();
        this.deletes = new GroupCommit<>("inbox-delete", this::delete);
        bus.on(ClusterBus.INBOX, payload -> {
            long first = Inbox.firstIdFor(me, payload);
            if (first > 0) {
                cursor.hinted(first);
                wake();
            }
        });
        // Rows stored for a task's former owner are below the cursor.
        leases.onTaken(this::readEverything);
        bus.onReconnect(this::readEverything);
        reader.scheduleWithFixedDelay(() -> {
            cursor.swept();
            wanted.set(true);
            readAll();
        }, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void readEverything() {
        cursor.readEverything();
        wake();
    }

    private void wake() {
        if (wanted.compareAndSet(false, true)) {
            reader.execute(this::readAll);
        }
    }

    private void readAll() {
        try {
            while (wanted.getAndSet(false)) {
                boolean everything = cursor.startsOver();
                while (read(everything) == CLAIM) {
                    // a full block: there may be more
                }
            }
        } catch (RuntimeException e) {
            // A hint taken by the failed read is gone: the next read starts from the beginning.
            cursor.readEverything();
            LOG.error("inbox read failed; the next sweep retries", e);
        }
    }

    /**
     * One block of rows above the cursor: of the tasks this replica holds, or on a full pass also of tasks nobody
     * holds (late results). Reading by task keeps the other replicas' rows, thousands during their fan-outs, out of
     * every wake-up and sweep here; a replica holding no task reads nothing between full passes.
     */
    private int read(boolean everything) {
        record Row(long id, String desktopId, byte[] message, boolean owned) {
        }
        long from = cursor.start();
        Set<String> held = leases.heldTasks();
        if (!everything && held.isEmpty()) {
            return 0;
        }
        List<Row> rows = db.query(c -> {
            List<Row> found = new ArrayList<>();
            String sql = everything
                    ? "SELECT i.id, i.desktop_id, i.message, l.owner IS NOT NULL FROM agent_inbox i"
                            + " LEFT JOIN task_leases l ON l.task_id = i.task_id WHERE i.id > ?"
                            + " AND (l.owner = ? OR l.task_id IS NULL) ORDER BY i.id LIMIT " + CLAIM
                    : "SELECT id, desktop_id, message, TRUE FROM agent_inbox WHERE id > ? AND task_id = ANY (?)"
                            + " ORDER BY id LIMIT " + CLAIM;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, from);
                if (everything) {
                    ps.setString(2, me);
                } else {
                    ps.setArray(2, c.createArrayOf("varchar", held.toArray()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBoolean(4)));
                    }
                }
            }
            return found;
        });
        int handed = 0;
        for (Row row : rows) {
            cursor.passed(row.id());
            if (!inProgress.add(row.id())) {
                continue;
            }
            handed++;
            AgentMessage message;
            try {
                message = AgentMessage.parseFrom(row.message());
            } catch (InvalidProtocolBufferException e) {
                LOG.error("inbox row {} unreadable; dropped", row.id(), e);
                deletes.add(row.id());
                continue;
            }
            engine.onForwarded(row.desktopId(), message, row.owned()).whenComplete((v, e) -> {
                if (e == null) {
                    deletes.add(row.id());
                } else {
                    inProgress.remove(row.id());
                    cursor.readEverything();
                }
            });
        }
        return rows.size();
    }

    private void delete(List<Long> ids) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_inbox WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
            return null;
        });
        ids.forEach(inProgress::remove);
    }

    @PreDestroy
    void close() {
        reader.shutdownNow();
    }
}
