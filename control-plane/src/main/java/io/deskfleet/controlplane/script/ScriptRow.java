package io.deskfleet.controlplane.script;

import io.deskfleet.api.script.ScriptType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of the {@code scripts} table; column names follow the property names in snake case. */
@MappedEntity("scripts")
record ScriptRow(@Id String id, String projectId, String name, ScriptType scriptType, String content,
                 @Nullable String description, @Nullable String scriptVersion, Instant createdAt,
                 Instant updatedAt) {
}
