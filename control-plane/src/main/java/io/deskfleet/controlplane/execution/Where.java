package io.deskfleet.controlplane.execution;

import io.deskfleet.controlplane.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A WHERE clause built from a list query's optional filters, with its arguments in order. */
final class Where {
    final StringBuilder sql;
    final List<Object> args = new ArrayList<>();

    Where(String first, Object arg) {
        sql = new StringBuilder(first);
        args.add(arg);
    }

    void and(String condition, Object arg) {
        sql.append(" AND ").append(condition);
        args.add(arg);
    }

    /** The arguments followed by a page's LIMIT and OFFSET. */
    List<Object> argsWithPage(int limit, int offset) {
        List<Object> all = new ArrayList<>(args);
        all.add(limit);
        all.add(offset);
        return all;
    }

    /** How many rows {@code from} (a FROM clause with its joins) has under this clause: a list's total_count. */
    long count(Connection c, String from) throws SQLException {
        try (PreparedStatement ps = Database.prepare(c, "SELECT COUNT(*)" + from + " WHERE " + sql, args);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
