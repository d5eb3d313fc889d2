package io.deskfleet.controlplane.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A row of the {@code settings} table; column names follow the property names in snake case. */
@MappedEntity("settings")
record SettingRow(@Id String settingName, String settingValue) {
}
