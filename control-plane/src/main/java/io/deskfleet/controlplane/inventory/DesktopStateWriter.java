package io.deskfleet.controlplane.inventory;

import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.api.inventory.DesktopStatus;
import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Agent-driven desktop state (heartbeats, online flag, login status, power status, Hello facts), merged in memory
 * per desktop and written by {@link #flush(boolean)} as one JDBC batch. With 10,000 agents heartbeating every few
 * seconds this is one batch per flush instead of thousands of single UPDATEs; memory is bounded by the number of
 * desktops.
 *
 * <p>A heartbeat is news only for {@code last_heartbeat_time}, which reads take from memory for a connected desktop
 * ({@link #liveHeartbeat(String)}), so a desktop whose only news is a heartbeat waits for a flush that includes
 * heartbeats (every few minutes, see {@link io.deskfleet.controlplane.agentlink.PresenceMonitor}) or for its
 * disconnect, which writes the last one. On embedded H2 every UPDATE rewrites the row in all of the table's indexes
 * and each commit rewrites every page it touched: 2,000 heartbeats a second from 10,000 agents were the control
 * plane's largest database load.
 */
@Singleton
public class DesktopStateWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopStateWriter.class);
    private static final String UPDATE = """
            UPDATE desktops SET
              last_heartbeat_at = COALESCE(?, last_heartbeat_at),
              agent_online = COALESCE(?, agent_online),
              login_status = COALESCE(?, login_status),
              status = COALESCE(?, status),
              agent_version = COALESCE(?, agent_version),
              boot_id = COALESCE(?, boot_id),
              interpreters = COALESCE(?, interpreters)
            WHERE id = ?
              AND NOT (? AND EXISTS (SELECT 1 FROM agent_sessions s WHERE s.desktop_id = desktops.id))""";

    private final Database db;
    private final List<PresenceListener> listeners;
    private final Map<String, Change> pending = new ConcurrentHashMap<>();
    /** The latest heartbeat of each connected desktop; bounded by the number of connected desktops. */
    private final Map<String, Instant> liveHeartbeats = new ConcurrentHashMap<>();

    public DesktopStateWriter(Database db, List<PresenceListener> listeners) {
        this.db = db;
        this.listeners = List.copyOf(listeners);
    }

    /** Fields to set; null leaves the column as it is. A later change's fields win over an earlier one's. */
    record Change(Instant heartbeatAt, Boolean online, LoginStatus loginStatus, DesktopStatus status,
                  String agentVersion, String bootId, String interpreters) {

        Change then(Change later) {
            return new Change(pick(heartbeatAt, later.heartbeatAt), pick(online, later.online),
                    pick(loginStatus, later.loginStatus), pick(status, later.status),
                    pick(agentVersion, later.agentVersion), pick(bootId, later.bootId),
                    pick(interpreters, later.interpreters));
        }

        boolean heartbeatOnly() {
            return online == null && loginStatus == null && status == null && agentVersion == null && bootId == null
                    && interpreters == null;
        }

        private static <T> T pick(T earlier, T later) {
            return later != null ? later : earlier;
        }
    }

    /** A stream was authenticated: the desktop is online and connected, with what its Hello reported. */
    public void connected(String desktopId, Instant at, String agentVersion, String bootId,
                          List<Interpreter> interpreters, PowerState powerState) {
        String names = interpreters.stream().filter(i -> i != Interpreter.INTERPRETER_UNSPECIFIED
                && i != Interpreter.UNRECOGNIZED)
                // The column keeps the short names (SHELL,POWERSHELL,BAT), whatever prefix the proto's values carry.
                .map(i -> i.name().replaceFirst("^INTERPRETER_", "")).distinct().collect(Collectors.joining(","));
        liveHeartbeats.put(desktopId, at);
        record(desktopId, new Change(at, true, LoginStatus.CONNECTED, statusOf(powerState), clip(agentVersion),
                clip(bootId), names));
    }

    /** The columns hold 64 characters; an agent reporting more must not fail the whole batch. */
    private static String clip(String value) {
        return value.length() > 64 ? value.substring(0, 64) : value;
    }

    public void heartbeat(String desktopId, Instant at) {
        liveHeartbeats.put(desktopId, at);
        record(desktopId, new Change(at, null, null, null, null, null, null));
    }

    /** The pending heartbeat, if any, is written with the disconnect: the stored time is then the last one. */
    public void disconnected(String desktopId) {
        record(desktopId, new Change(null, false, LoginStatus.DISCONNECTED, null, null, null, null));
        liveHeartbeats.remove(desktopId);
    }

    /** The last heartbeat of a connected desktop, newer than the stored one until the next heartbeat flush. */
    Instant liveHeartbeat(String desktopId) {
        return liveHeartbeats.get(desktopId);
    }

    public void powerState(String desktopId, PowerState powerState) {
        DesktopStatus status = statusOf(powerState);
        if (status != null) {
            record(desktopId, new Change(null, null, null, status, null, null, null));
        }
    }

    /** ACTIVE/SHUTOFF/HIBERNATED for a known power state, null (no change) otherwise. */
    static DesktopStatus statusOf(PowerState powerState) {
        return switch (powerState) {
            case POWER_STATE_RUNNING -> DesktopStatus.ACTIVE;
            case POWER_STATE_SHUTOFF -> DesktopStatus.SHUTOFF;
            case POWER_STATE_HIBERNATED -> DesktopStatus.HIBERNATED;
            default -> null;
        };
    }

    private void record(String desktopId, Change change) {
        pending.merge(desktopId, change, Change::then);
    }

    private void tell(List<Map.Entry<String, Change>> committed) {
        if (listeners.isEmpty()) {
            return;
        }
        Map<String, Boolean> online = new HashMap<>();
        for (Map.Entry<String, Change> e : committed) {
            if (e.getValue().online() != null) {
                online.put(e.getKey(), e.getValue().online());
            }
        }
        if (online.isEmpty()) {
            return;
        }
        for (PresenceListener listener : listeners) {
            try {
                listener.onlineCommitted(online);
            } catch (RuntimeException e) {
                LOG.error("presence listener failed", e);
            }
        }
    }

    /**
     * Writes the pending changes in one batch. Called from a single thread. On failure the changes are merged back
     * (under anything newer) and retried by the next flush.
     *
     * @param heartbeats also write desktops whose only change is a heartbeat (otherwise they stay pending)
     * @return the number of desktops written
     */
    public int flush(boolean heartbeats) {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Map.Entry<String, Change>> batch = new ArrayList<>();
        for (String id : pending.keySet()) {
            Change queued = pending.get(id);
            if (queued == null || (!heartbeats && queued.heartbeatOnly())) {
                continue;
            }
            // what a concurrent merge added since is written too
            Change change = pending.remove(id);
            if (change != null) {
                batch.add(Map.entry(id, change));
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            int[] rows = db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                    for (Map.Entry<String, Change> e : batch) {
                        Change ch = e.getValue();
                        ps.setObject(1, Database.toDb(ch.heartbeatAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                        if (ch.online() == null) {
                            ps.setNull(2, Types.BOOLEAN);
                        } else {
                            ps.setBoolean(2, ch.online());
                        }
                        ps.setString(3, ch.loginStatus() == null ? null : ch.loginStatus().name());
                        ps.setString(4, ch.status() == null ? null : ch.status().name());
                        ps.setString(5, ch.agentVersion());
                        ps.setString(6, ch.bootId());
                        ps.setString(7, ch.interpreters());
                        ps.setString(8, e.getKey());
                        // Replicas: a disconnection another replica's newer stream overtook (its Hello was stored
                        // first) changes nothing: the desktop is online there. One node keeps no stream rows.
                        ps.setBoolean(9, Boolean.FALSE.equals(ch.online()));
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                }
            });
            List<Map.Entry<String, Change>> written = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (rows[i] != 0) {
                    written.add(batch.get(i));
                }
            }
            tell(written);
            return batch.size();
        } catch (RuntimeException e) {
            for (Map.Entry<String, Change> entry : batch) {
                pending.merge(entry.getKey(), entry.getValue(), (newer, older) -> older.then(newer));
            }
            LOG.warn("desktop state flush failed desktops={} error={}", batch.size(), e.toString());
            return 0;
        }
    }
}
