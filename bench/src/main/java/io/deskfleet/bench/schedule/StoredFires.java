package io.deskfleet.bench.schedule;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The start times of scheduled-task fires as the control plane stored them (microseconds), read from its H2 file
 * after it stopped. The REST records show start_time only to the second, too coarse for lateness under a 500 ms
 * poll.
 */
public final class StoredFires {
    private StoredFires() {
    }

    /** Per task id, the start_time of each of its records; read-only, so the database is left as the run left it. */
    public static Map<String, List<Instant>> startTimes(String databaseUrl) throws SQLException {
        Map<String, List<Instant>> starts = new HashMap<>();
        try (Connection c = DriverManager.getConnection(databaseUrl + ";ACCESS_MODE_DATA=r", "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT task_id, start_time FROM scheduled_task_records");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                starts.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                        .add(rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return starts;
    }
}
