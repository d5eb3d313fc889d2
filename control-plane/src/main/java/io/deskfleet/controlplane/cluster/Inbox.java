package io.deskfleet.controlplane.cluster;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.OwnerForwarding;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
        int[] inserted = db.inTransaction(c -> {
            int[] rows;
            long firstId = Long.MAX_VALUE;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_inbox (task_id, desktop_id, message,"
                    + " created_at) SELECT ?, ?, ?, clock_timestamp()"
                    + " WHERE EXISTS (SELECT 1 FROM task_leases WHERE task_id = ?)", new String[] {"id"})) {
                for (Forwarded f : batch) {
                    ps.setString(1, f.taskId());
                    ps.setString(2, f.desktopId());
                    ps.setBytes(3, f.message().toByteArray());
                    ps.setString(4, f.taskId());
                    ps.addBatch();
                }
                rows = ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    while (keys.next()) {
                        firstId = Math.min(firstId, keys.getLong(1));
                    }
                }
            }
            if (firstId == Long.MAX_VALUE) {
                return rows;
            }
            Set<String> tasks = new LinkedHashSet<>();
            batch.forEach(f -> tasks.add(f.taskId()));
            List<String> ids = List.copyOf(tasks);
            Set<String> hints = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT owner FROM task_leases WHERE task_id IN ("
                    + Database.placeholders(ids.size()) + ")")) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 1, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hints.add(rs.getString(1) + " " + firstId);
                    }
                }
            }
            bus.publishAll(ClusterBus.INBOX, hints);
            return rows;
        });
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(inserted[i] > 0);
        }
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
