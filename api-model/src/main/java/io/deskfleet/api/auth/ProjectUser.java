package io.deskfleet.api.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** A user's role in one project, as {@code /v2/{project_id}/users} shows it ({@code role}: admin or readonly). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProjectUser(String id, String name, String role) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record One(ProjectUser user) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record All(List<ProjectUser> users, int totalCount) {
    }
}
