package io.deskfleet.controlplane.db;

import java.sql.SQLException;

/** A database failure nobody can act on but the operator: answered as a 500 and logged. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
