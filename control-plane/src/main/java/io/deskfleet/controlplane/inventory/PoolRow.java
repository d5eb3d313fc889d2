package io.deskfleet.controlplane.inventory;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of the {@code desktop_pools} table; column names follow the property names in snake case. */
@MappedEntity("desktop_pools")
record PoolRow(@Id String id, String projectId, String name, @Nullable String description, String type,
               Instant createdAt) {
}
