package io.deskfleet.controlplane.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of the {@code access_keys} table; column names follow the property names in snake case. */
@MappedEntity("access_keys")
record AccessKeyRow(@Id String accessKey, String userId, String secretEncrypted, @Nullable String description,
                    String status, Instant createdAt) {
}
