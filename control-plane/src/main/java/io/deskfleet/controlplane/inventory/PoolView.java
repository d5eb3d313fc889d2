package io.deskfleet.controlplane.inventory;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A pool with the counts of its desktops (not revoked) and of those whose agent is online. */
@Introspected
record PoolView(String id, String name, @Nullable String description, String type, Instant createdAt,
                int desktops, int online) {
}
