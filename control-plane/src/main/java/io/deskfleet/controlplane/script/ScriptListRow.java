package io.deskfleet.controlplane.script;

import io.deskfleet.api.script.ScriptType;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A script in a list page: every column but the content, which a list never shows and can be 100 KB. */
@Introspected
record ScriptListRow(String id, String name, @Nullable String description, ScriptType scriptType,
                     @Nullable String scriptVersion, Instant createdAt, Instant updatedAt) {
}
