package io.deskfleet.controlplane.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of the {@code users} table; column names follow the property names in snake case. */
@MappedEntity("users")
record UserRow(@Id String id, String name, String passwordHash, String role, Instant createdAt) {
}
