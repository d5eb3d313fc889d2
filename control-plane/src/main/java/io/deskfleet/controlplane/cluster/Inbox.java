package io.deskfleet.controlplane.cluster;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.OwnerForwarding;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Replicas: an agent's started or result message about a task another replica runs is stored in
 * {@code agent_inbox} for that replica (group-committed), which is woken by a hint on commit naming the batch's first
 * row ({@link InboxCursor} says why); a result is acknowledged to its agent only once its row is committed, so it
 * survives any replica's death. Only a task that has a lease gets rows: one without is over, and its late result is
 * stored where it arrived.
 */
@Singleton
@Requires(property = "deskfleet.replica.id")
public class Inbox implements OwnerForwarding {
    private record Forwarded(String taskId, String desktopId, AgentMessage message, CompletableFuture<Boolean> done) {
    }

    private final Database db;
    private final ClusterBus bus;
    private final GroupCommit<Forwarded> writer;

    public Inbox(Database db, ClusterBus bus) {
        this.db = db;
        this.bus = bus;
        this.writer = new GroupCommit<>("inbox-writer", this::write);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public CompletableFuture<Boolean> forward(String taskId, String desktopId, AgentMessage message) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        writer.add(new Forwarded(taskId, desktopId, message, done));
        return done;
    }

    /**
     * A started message whose result is in the same batch says nothing the result does not (it carries its start
     * time): only the result is stored, which for short commands halves the rows.
     */
    private void write(List<Forwarded> queued) {
        Set<String> resulted = new HashSet<>();
        for (Forwarded f : queued) {
            if (f.message().hasResult()) {
                resulted.add(f.message().getResult().getInvocationId());
            }
        }
        List<Forwarded> batch = new ArrayList<>(queued.size());
        for (Forwarded f : queued) {
            if (f.message().hasStarted() && resulted.contains(f.message().getStarted().getInvocationId())) {
                f.done().complete(true);
            } else {
                batch.add(f);
            }
        }
        Map<String, String> owners = db.inTransaction(c -> {
            Map<String, String> leased = owners(c, batch);
            List<Forwarded> rows = batch.stream().filter(f -> leased.containsKey(f.taskId())).toList();
            if (rows.isEmpty()) {
                return leased;
            }
            long firstId = Long.MAX_VALUE;
            // One statement for the whole batch: per-row INSERTs were the most expensive statement of a fan-out on
            // 3 replicas (pg_stat_statements, 2026-12-06: 1.4 s of 7 s over three fan-outs to 15,000).
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_inbox (task_id, desktop_id, message,"
                    + " created_at) SELECT t, d, m, clock_timestamp() FROM unnest(?, ?, ?) AS u (t, d, m)"
                    + " RETURNING id")) {
                ps.setArray(1, c.createArrayOf("varchar", rows.stream().map(Forwarded::taskId).toArray()));
                ps.setArray(2, c.createArrayOf("varchar", rows.stream().map(Forwarded::desktopId).toArray()));
                ps.setArray(3, c.createArrayOf("bytea", rows.stream().map(f -> f.message().toByteArray())
                        .toArray(byte[][]::new)));
                try (ResultSet ids = ps.executeQuery()) {
                    while (ids.next()) {
                        firstId = Math.min(firstId, ids.getLong(1));
                    }
                }
            }
            Set<String> hints = new LinkedHashSet<>();
            for (Forwarded f : rows) {
                hints.add(leased.get(f.taskId()) + " " + firstId);
            }
            bus.publishAll(ClusterBus.INBOX, hints);
            return leased;
        });
        for (Forwarded f : batch) {
            f.done().complete(owners.containsKey(f.taskId()));
        }
    }

    /**
     * The owner of each task of the batch that has a lease. A task without one is over: its messages are not stored
     * here (a lease that ends after this read leaves a row nobody holds, which the next full read of any replica
     * stores as a late result).
     */
    private static Map<String, String> owners(Connection c, List<Forwarded> batch) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        Object[] tasks = batch.stream().map(Forwarded::taskId).distinct().toArray();
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id, owner FROM task_leases WHERE task_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", tasks));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return owners;
    }

    /**
     * The first id a hint on {@link ClusterBus#INBOX} names for this replica, 0 if it names none. A hint is lines of
     * "owner first-id": the batch's rows are committed, and the owner's rows among them have that id or a higher one.
     */
    static long firstIdFor(String replicaId, String payload) {
        String prefix = replicaId + " ";
        return payload.lines().filter(line -> line.startsWith(prefix))
                .mapToLong(line -> Long.parseLong(line.substring(prefix.length()))).min().orElse(0);
    }
}
