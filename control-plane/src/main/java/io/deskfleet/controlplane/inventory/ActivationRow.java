package io.deskfleet.controlplane.inventory;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of the {@code agent_activations} table; column names follow the property names in snake case. */
@MappedEntity("agent_activations")
record ActivationRow(@Id String id, String projectId, String poolId, String codeHash, @Nullable String description,
                     int registrationLimit, int registrationsCount, Instant expiresAt, Instant createdAt) {
}
