package io.deskfleet.controlplane.auth;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

/** A row of the {@code project_roles} table: a user's role in one project, keyed by both. */
@MappedEntity("project_roles")
record ProjectRoleRow(@EmbeddedId Key key, Caller.Role role) {

    /** The primary key; the explicit column names keep Micronaut Data from prefixing them with {@code key_}. */
    @Embeddable
    record Key(@MappedProperty("user_id") String userId, @MappedProperty("project_id") String projectId) {
    }
}
