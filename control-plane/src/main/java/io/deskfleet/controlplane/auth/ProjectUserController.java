package io.deskfleet.controlplane.auth;

import io.deskfleet.api.auth.ProjectUser;
import io.deskfleet.api.auth.ProjectUserRequest;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.ConflictError;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Optional;

/**
 * Who may act in a project, managed by the project's admins (the auth filter lets only them change anything here)
 * and the administrator. Users are global; a project admin may set the password only of a user who has no role in
 * any other project, so one project's admin cannot take over another project's user.
 */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "users")
@ApiErrors
@Controller("/v2/{project_id}/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProjectUserController {
    private final UserStore users;
    private final ProjectRoleStore roles;

    public ProjectUserController(UserStore users, ProjectRoleStore roles) {
        this.users = users;
        this.roles = roles;
    }

    @Operation(operationId = "listProjectUsers", summary = "List the users with a role in the project")
    @Get
    public ProjectUser.All list(@PathVariable("project_id") String projectId) {
        List<ProjectUser> members = roles.members(projectId).stream()
                .map(m -> new ProjectUser(m.userId(), m.userName(), m.role().apiName())).toList();
        return new ProjectUser.All(members, members.size());
    }

    @Operation(operationId = "putProjectUser", summary = "Create a user or set its password and role")
    @ApiResponse(responseCode = "201", description = "The user was created.",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ProjectUser.One.class)))
    @ApiResponse(responseCode = "200", description = "The user existed and was updated.",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ProjectUser.One.class)))
    @ConflictError
    @Put("/{user_name}")
    public HttpResponse<ProjectUser.One> put(@Parameter(hidden = true) Caller caller, @PathVariable("project_id") String projectId,
                                             @PathVariable("user_name") String userName,
                                             @Body ProjectUserRequest request) {
        ProjectUserRequest.validateUserName(userName);
        ProjectUserRequest.Valid valid = request.validate();
        Caller.Role role = Caller.Role.valueOf(valid.role());
        Optional<UserStore.User> existing = users.findByName(userName);
        UserStore.User user;
        if (existing.isEmpty()) {
            if (valid.password() == null) {
                throw ApiException.invalid("password is required to create a user.");
            }
            user = users.create(userName, PasswordHasher.hash(valid.password()), false);
        } else {
            user = existing.get();
            if (user.administrator()) {
                throw new ApiException(ErrorCode.CONFLICT, "The administrator has every role in every project.");
            }
            if (valid.password() != null) {
                requireMayChangePassword(caller, user, projectId);
                users.updatePassword(user.id(), PasswordHasher.hash(valid.password()));
            }
        }
        roles.assign(user.id(), projectId, role);
        return HttpResponse.<ProjectUser.One>status(existing.isEmpty() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ProjectUser.One(new ProjectUser(user.id(), user.name(), role.apiName())));
    }

    @Operation(operationId = "deleteProjectUser", summary = "Remove a user's role in the project")
    @ApiResponse(responseCode = "204", description = "The user has no role in the project any more.")
    @NotFoundError
    @Delete("/{user_name}")
    public HttpResponse<Void> remove(@PathVariable("project_id") String projectId,
                                     @PathVariable("user_name") String userName) {
        UserStore.User user = users.findByName(userName)
                .orElseThrow(() -> ApiException.notFound("No user " + userName + " in this project."));
        if (!roles.remove(user.id(), projectId)) {
            throw ApiException.notFound("No user " + userName + " in this project.");
        }
        return HttpResponse.noContent();
    }

    private void requireMayChangePassword(Caller caller, UserStore.User target, String projectId) {
        boolean administrator = users.findById(caller.userId()).map(UserStore.User::administrator).orElse(false);
        if (!administrator && !roles.projectsOf(target.id()).stream().allMatch(projectId::equals)) {
            throw new ApiException(ErrorCode.FORBIDDEN,
                    "The user has roles in other projects; only the administrator may change the password.");
        }
    }
}
