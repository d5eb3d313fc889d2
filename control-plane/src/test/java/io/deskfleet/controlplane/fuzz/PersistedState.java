package io.deskfleet.controlplane.fuzz;

import io.deskfleet.controlplane.db.Database;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the REST API can have written, read straight from the database: the full contents of the tables only
 * requests write, and row counts of those background work also updates (execution progress, schedule fire times,
 * agent heartbeats). Two equal snapshots mean a request persisted nothing.
 */
final class PersistedState {
    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        for (String table : new String[] {"desktop_pools", "agent_activations", "desktop_tags", "scripts",
                "scheduled_task_triggers", "users", "project_roles", "access_keys"}) {
            QUERIES.put(table, "SELECT * FROM " + table + " ORDER BY 1");
        }
        QUERIES.put("desktops", "SELECT id, pool_id, computer_name, revoked FROM desktops ORDER BY id");
        QUERIES.put("scheduled_tasks", "SELECT id, task_name, task_type, scheduled_type, day_interval, week_list,"
                + " month_list, date_list, scheduled_date, scheduled_time, expire_time, life_cycle_type, time_zone,"
                + " gray_count, gray_desktop_ids, gray_fail_threshold, is_gray, force_execute, description, enabled,"
                + " extra_params, apply_objects, priority, wait_time, updated_at FROM scheduled_tasks ORDER BY id");
        // Not execution_results: agents' results for the valid executions the fuzz starts arrive at any time.
        for (String table : new String[] {"execution_tasks", "execution_task_steps", "execution_records",
                "scheduled_task_records", "scheduled_task_record_details"}) {
            QUERIES.put(table, "SELECT COUNT(*) FROM " + table);
        }
    }

    private PersistedState() {
    }

    /** Table name to a digest of its rows (or its row count). */
    static Map<String, String> snapshot(Database db) {
        return db.query(c -> {
            Map<String, String> state = new LinkedHashMap<>();
            try (Statement st = c.createStatement()) {
                if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                    readAtOnce(st, state);
                } else {
                    for (Map.Entry<String, String> q : QUERIES.entrySet()) {
                        try (ResultSet rs = st.executeQuery(q.getValue())) {
                            state.put(q.getKey(), digest(rs));
                        }
                    }
                }
            }
            return state;
        });
    }

    /**
     * All queries in one round trip, which PostgreSQL allows (H2 does not): one at a time, the snapshots took most
     * of the fuzz run's time there.
     */
    private static void readAtOnce(Statement st, Map<String, String> state) throws java.sql.SQLException {
        st.execute(String.join(";\n", QUERIES.values()));
        for (String table : QUERIES.keySet()) {
            try (ResultSet rs = st.getResultSet()) {
                state.put(table, digest(rs));
            }
            st.getMoreResults();
        }
    }

    private static String digest(ResultSet rs) throws java.sql.SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder rows = new StringBuilder();
        int count = 0;
        while (rs.next()) {
            count++;
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                rows.append(rs.getString(i)).append('\u0001');
            }
            rows.append('\n');
        }
        return count + " rows, hash " + rows.toString().hashCode() + " length " + rows.length();
    }

    /** The tables whose snapshot differs, for the failure message. */
    static String difference(Map<String, String> before, Map<String, String> after) {
        StringBuilder diff = new StringBuilder();
        before.forEach((table, digest) -> {
            if (!digest.equals(after.get(table))) {
                diff.append(table).append(": ").append(digest).append(" -> ").append(after.get(table)).append("; ");
            }
        });
        return diff.toString();
    }
}
