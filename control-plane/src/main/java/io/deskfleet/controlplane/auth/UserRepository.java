package io.deskfleet.controlplane.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The {@code users} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs in. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface UserRepository extends GenericRepository<UserRow, String> {
    void save(UserRow user);

    Optional<UserRow> findById(String id);

    Optional<UserRow> findByName(String name);

    void update(@Id String id, String passwordHash);

    void update(@Id String id, String passwordHash, String role);
}
