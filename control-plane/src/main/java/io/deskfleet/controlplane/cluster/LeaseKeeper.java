package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.execution.RolloutEngine;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.deskfleet.controlplane.inventory.DesktopStateWriter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Replicas: every {@link #PERIOD} this replica beats in {@code replicas}, renews its task leases, and takes over the
 * tasks whose lease expired (a dead or stalled replica's), which the engine then resumes from the database. A dead
 * replica's tasks run again within the lease (10 s) plus one period.
 */
@Context
@Requires(property = "deskfleet.replica.id")
public class LeaseKeeper {
    static final long PERIOD_MILLIS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final LeasedOwnership leases;
    private final RolloutEngine engine;
    private final Database db;
    private final DesktopStateWriter state;
    private final String me;
    private final ScheduledExecutorService timer = ClusterThreads.timer("lease-keeper");

    public LeaseKeeper(LeasedOwnership leases, RolloutEngine engine, Database db, DesktopStateWriter state,
                       Replica replica) {
        this.state = state;
        this.leases = leases;
        this.engine = engine;
        this.db = db;
        this.me = replica.id();
        timer.scheduleWithFixedDelay(this::tick, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            beat();
            releaseDeadReplicasDesktops();
            for (Map.Entry<String, Long> lease : leases.renew().entrySet()) {
                if (!leases.isHeld(lease.getKey()) && leases.adoptOwn(lease.getKey(), lease.getValue())) {
                    LOG.info("task={} resumed: this replica held it before a restart", lease.getKey());
                    engine.adopt(lease.getKey());
                }
            }
            for (String taskId : leases.takeOverAbandoned().keySet()) {
                LOG.info("task={} taken over: its lease had expired", taskId);
                engine.adopt(taskId);
            }
        } catch (RuntimeException e) {
            LOG.error("lease tick failed", e);
        }
    }

    /**
     * A replica silent past the lease is dead (killed, or cut off): its stream rows go, and its desktops are offline
     * until they reconnect elsewhere (the agents' failover takes seconds). Whichever replica sees it first does it.
     */
    private void releaseDeadReplicasDesktops() {
        List<String> released = db.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_sessions WHERE replica_id IN"
                    + " (SELECT replica_id FROM replicas WHERE heartbeat_at < clock_timestamp() - interval '"
                    + LeasedOwnership.LEASE.toSeconds() + " seconds') RETURNING desktop_id")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
        if (!released.isEmpty()) {
            LOG.info("{} desktops of dead replicas marked offline", released.size());
            released.forEach(state::disconnected);
        }
    }

    private void beat() {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replicas (replica_id, started_at, heartbeat_at)"
                    + " VALUES (?, clock_timestamp(), clock_timestamp()) ON CONFLICT (replica_id)"
                    + " DO UPDATE SET heartbeat_at = clock_timestamp()")) {
                ps.setString(1, me);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
