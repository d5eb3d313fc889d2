package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.db.Database;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.util.function.Supplier;

/** Values the control plane generates once and keeps across restarts, over {@link SettingRepository}. */
@Singleton
public class SettingsStore {
    private final SettingRepository repository;

    SettingsStore(SettingRepository repository) {
        this.repository = repository;
    }

    /**
     * The stored value, or {@code generator}'s value stored now. When two instances start at once, the first insert
     * wins and both read it back.
     */
    public String getOrCreate(String name, Supplier<String> generator) {
        return repository.findById(name).map(SettingRow::settingValue).orElseGet(() -> {
            try {
                repository.save(new SettingRow(name, generator.get()));
            } catch (DataAccessException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return repository.findById(name).orElseThrow().settingValue();
        });
    }
}
