package io.deskfleet.controlplane.db;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

/**
 * Plain JDBC with explicit transactions. The pool is unwrapped from Micronaut's contextual proxy so a connection
 * can be taken on any thread (gRPC, schedulers) without an ambient transaction.
 */
@Singleton
public class Database {
    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    /** Runs read-only or single-statement work with auto-commit. */
    public <T> T query(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    public static OffsetDateTime toDb(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant fromDb(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** {@code ?,?,?}: the placeholders of an IN list of {@code count} values. */
    public static String placeholders(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }

    /** Prepares {@code sql} with {@code args} bound in order; the caller closes the statement. */
    public static PreparedStatement prepare(Connection c, String sql, List<?> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    /**
     * A LIKE pattern that matches {@code text} anywhere, for {@code LIKE ? ESCAPE '\'}: a % or _ a user typed
     * matches only itself.
     */
    public static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * True when {@code failure} is, or was caused by, a unique or primary key violation (SQLSTATE 23505 on
     * PostgreSQL and H2); repositories wrap the driver's exception in a DataAccessException.
     */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && "23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
