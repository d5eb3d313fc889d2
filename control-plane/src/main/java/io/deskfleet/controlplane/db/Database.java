package io.deskfleet.controlplane.db;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

/**
 * Hand-written JDBC for the statements a repository cannot make as fast (group-committed batches, merges, claims,
 * multi-table queries), on Micronaut Data's transaction and connection management: a transaction here and a
 * {@code @Transactional} method or repository call share one connection and one commit. Work that runs outside
 * any transaction takes its own auto-commit connection from the pool, on any thread (gRPC, schedulers).
 */
@Singleton
public class Database {
    private final TransactionOperations<Connection> transactions;
    private final ConnectionOperations<Connection> connections;

    public Database(TransactionOperations<Connection> transactions, ConnectionOperations<Connection> connections) {
        this.transactions = transactions;
        this.connections = connections;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs work in a transaction: committed when it returns, rolled back when it throws. Inside a transaction
     * already under way, the work joins it.
     */
    public <T> T inTransaction(Work<T> work) {
        return transactions.executeWrite(status -> run(work, status.getConnection()));
    }

    /**
     * Runs read-only or single-statement work: on the current transaction's connection if there is one, else on
     * a connection of its own with auto-commit.
     */
    public <T> T query(Work<T> work) {
        return connections.execute(ConnectionDefinition.DEFAULT, status -> run(work, status.getConnection()));
    }

    private static <T> T run(Work<T> work, Connection connection) {
        try {
            return work.run(connection);
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

    /** The single number {@code sql} (a {@code SELECT COUNT(*)}) answers, with {@code args} bound in order. */
    public static long count(Connection c, String sql, List<?> args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
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
