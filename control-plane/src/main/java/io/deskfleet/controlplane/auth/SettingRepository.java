package io.deskfleet.controlplane.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/** The {@code settings} table. POSTGRES dialect: the production database, and the mode the embedded H2 runs in. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface SettingRepository extends GenericRepository<SettingRow, String> {
    void save(SettingRow setting);

    Optional<SettingRow> findById(String settingName);
}
