package io.deskfleet.controlplane.output;

import io.deskfleet.controlplane.db.Database;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stored output of records: pieces in {@code output_pieces}, their extent in {@code record_outputs} (V50). */
@Singleton
public class OutputStore {
    private static final int CHUNK = 500;

    private final Database db;

    public OutputStore(Database db) {
        this.db = db;
    }

    /** A record's owner and its output's stored state; stored 0 and not complete when it has none yet. */
    record Owned(String recordId, String projectId, String taskId, String desktopId, long storedBytes,
                 boolean complete, boolean truncated, boolean hasRow) {
    }

    /** The records among {@code recordIds} that exist. */
    Map<String, Owned> owners(Collection<String> recordIds) {
        List<String> ids = new ArrayList<>(recordIds);
        Map<String, Owned> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            db.query(c -> {
                // One array parameter, not an IN list: one statement text, planned once. PostgreSQL planned each
                // length of the list on its own, and chose sequential scans of execution_records for some of them
                // (768 ms of its CPU per 15,000-desktop fan-out in bench replicas, 2026-12-06).
                try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.project_id, r.task_id, r.desktop_id,"
                        + " o.stored_bytes, o.complete, o.truncated FROM execution_records r"
                        + " LEFT JOIN record_outputs o ON o.record_id = r.id WHERE r.id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("VARCHAR", chunk.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long stored = rs.getLong(5);
                            boolean hasRow = !rs.wasNull();
                            found.put(rs.getString(1), new Owned(rs.getString(1), rs.getString(2), rs.getString(3),
                                    rs.getString(4), stored, rs.getBoolean(6), rs.getBoolean(7), hasRow));
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    /** A piece to insert: {@code data} at {@code offset} of the record's output. */
    record Piece(String recordId, long offset, byte[] data) {
    }

    /** The extent of a record's output after a batch. */
    record Extent(String recordId, long storedBytes, boolean complete, boolean truncated, boolean exists) {
    }

    /** One transaction: the pieces, and each touched record's extent (inserted if it had no row, else updated). */
    void write(List<Piece> pieces, List<Extent> extents) {
        db.inTransaction(c -> {
            if (!pieces.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO output_pieces"
                        + " (record_id, byte_offset, byte_count, data) VALUES (?, ?, ?, ?)")) {
                    for (Piece p : pieces) {
                        ps.setString(1, p.recordId());
                        ps.setLong(2, p.offset());
                        ps.setInt(3, p.data().length);
                        ps.setBytes(4, p.data());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            writeExtents(c, extents.stream().filter(Extent::exists).toList(), "UPDATE record_outputs"
                    + " SET stored_bytes = ?, complete = ?, truncated = ? WHERE record_id = ?");
            writeExtents(c, extents.stream().filter(e -> !e.exists()).toList(), "INSERT INTO record_outputs"
                    + " (stored_bytes, complete, truncated, record_id) VALUES (?, ?, ?, ?)");
            return null;
        });
    }

    private static void writeExtents(Connection c, List<Extent> extents, String sql) throws SQLException {
        if (extents.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Extent e : extents) {
                ps.setLong(1, e.storedBytes());
                ps.setBoolean(2, e.complete());
                ps.setBoolean(3, e.truncated());
                ps.setString(4, e.recordId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * What GET .../output serves for a record of the project: its stored output, or for a record without any (one
     * finished before V50, or decided without a result) the excerpt of its result row.
     */
    record Served(String taskId, long size, boolean complete, boolean truncated, byte[] excerpt, boolean finished) {
    }

    Optional<Served> served(String projectId, String recordId) {
        return db.query(c -> {
            try (PreparedStatement ps = Database.prepare(c, "SELECT r.task_id, o.stored_bytes, o.complete,"
                    + " o.truncated, x.output, x.output_truncated, x.status FROM execution_records r"
                    + " LEFT JOIN record_outputs o ON o.record_id = r.id"
                    + " LEFT JOIN execution_results x ON x.record_key = r.record_key"
                    + " WHERE r.project_id = ? AND r.id = ?", List.of(projectId, recordId));
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String status = rs.getString(7);
                boolean finished = status != null && !"RUNNING".equals(status);
                long stored = rs.getLong(2);
                if (!rs.wasNull()) {
                    return Optional.of(new Served(rs.getString(1), stored, rs.getBoolean(3), rs.getBoolean(4), null,
                            finished));
                }
                String excerpt = rs.getString(5);
                byte[] bytes = excerpt == null ? new byte[0] : excerpt.getBytes(StandardCharsets.UTF_8);
                return Optional.of(new Served(rs.getString(1), bytes.length, finished, rs.getBoolean(6), bytes,
                        finished));
            }
        });
    }

    /** Bytes [from, to) of a record's stored output, at most {@code maxBytes} of them, in order. */
    byte[] read(String recordId, long from, long to, int maxBytes) {
        long end = Math.min(to, from + maxBytes);
        if (end <= from) {
            return new byte[0];
        }
        return db.query(c -> {
            try (PreparedStatement ps = Database.prepare(c, "SELECT byte_offset, data FROM output_pieces"
                    + " WHERE record_id = ? AND byte_offset < ? AND byte_offset + byte_count > ?"
                    + " ORDER BY byte_offset", List.of(recordId, end, from));
                 ResultSet rs = ps.executeQuery()) {
                byte[] out = new byte[(int) (end - from)];
                int filled = 0;
                while (rs.next()) {
                    long offset = rs.getLong(1);
                    byte[] data = rs.getBytes(2);
                    int skip = (int) Math.max(0, from + filled - offset);
                    int length = (int) Math.min(data.length - skip, end - (offset + skip));
                    if (offset + skip != from + filled || length <= 0) {
                        break;
                    }
                    System.arraycopy(data, skip, out, filled, length);
                    filled += length;
                }
                return filled == out.length ? out : java.util.Arrays.copyOf(out, filled);
            }
        });
    }
}
