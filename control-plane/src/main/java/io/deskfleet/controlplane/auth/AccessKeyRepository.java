package io.deskfleet.controlplane.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/** The {@code access_keys} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs in. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AccessKeyRepository extends GenericRepository<AccessKeyRow, String> {
    void save(AccessKeyRow key);

    Optional<AccessKeyRow> findById(String accessKey);

    List<AccessKeyRow> findByUserIdOrderByCreatedAt(String userId);

    int deleteByAccessKey(String accessKey);
}
