package io.deskfleet.controlplane.auth;

import io.deskfleet.api.auth.AccessKey;
import io.deskfleet.api.auth.AccessKeyRequest;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Access keys for SDK request signing, with Huawei IAM's paths and bodies. A user manages their own keys; the
 * administrator anybody's; a project admin those of users who have roles only in that project (a key acts in every
 * project its user has a role in, so it must not reach further than the admin's own project).
 */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "access keys")
@ApiErrors
@Controller(AccessKeyController.PATH)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccessKeyController {
    static final String PATH = "/v3.0/OS-CREDENTIAL/credentials";

    private final AccessKeyStore keys;
    private final UserStore users;
    private final ProjectRoleStore roles;

    public AccessKeyController(AccessKeyStore keys, UserStore users, ProjectRoleStore roles) {
        this.keys = keys;
        this.users = users;
        this.roles = roles;
    }

    @Operation(operationId = "createPermanentAccessKey", summary = "Create an access key; the secret is shown once")
    @ApiResponse(responseCode = "201", description = "The key, with its secret.",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccessKey.One.class)))
    @NotFoundError
    @Post
    public HttpResponse<AccessKey.One> create(@Parameter(hidden = true) Caller caller, @Body AccessKeyRequest request) {
        AccessKeyRequest.Credential wanted = request.validate();
        requireManages(caller, wanted.userId());
        AccessKeyStore.Created created = keys.create(wanted.userId(), wanted.description());
        return HttpResponse.<AccessKey.One>status(HttpStatus.CREATED)
                .body(new AccessKey.One(view(created.key(), created.secret())));
    }

    @Operation(operationId = "listPermanentAccessKeys", summary = "List access keys")
    @Get
    public AccessKey.All list(@Parameter(hidden = true) Caller caller, @QueryValue("user_id") @Nullable String userId) {
        String owner = userId == null ? caller.userId() : userId;
        requireManages(caller, owner);
        return new AccessKey.All(keys.ofUser(owner).stream().map(k -> view(k, null)).toList());
    }

    @Operation(operationId = "showPermanentAccessKey", summary = "Show an access key")
    @NotFoundError
    @Get("/{access_key}")
    public AccessKey.One get(@Parameter(hidden = true) Caller caller, @PathVariable("access_key") String accessKey) {
        return new AccessKey.One(view(managed(caller, accessKey), null));
    }

    @Operation(operationId = "deletePermanentAccessKey", summary = "Delete an access key")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    @NotFoundError
    @Delete("/{access_key}")
    public HttpResponse<Void> delete(@Parameter(hidden = true) Caller caller, @PathVariable("access_key") String accessKey) {
        keys.delete(managed(caller, accessKey).accessKey());
        return HttpResponse.noContent();
    }

    private AccessKeyStore.Key managed(Caller caller, String accessKey) {
        AccessKeyStore.Key key = keys.find(accessKey)
                .orElseThrow(() -> ApiException.notFound("No access key " + accessKey + "."));
        requireManages(caller, key.userId());
        return key;
    }

    private void requireManages(Caller caller, String userId) {
        UserStore.User target = users.findById(userId)
                .orElseThrow(() -> ApiException.notFound("No user " + userId + "."));
        if (target.id().equals(caller.userId())) {
            return;
        }
        boolean administrator = users.findById(caller.userId()).map(UserStore.User::administrator).orElse(false);
        if (administrator) {
            return;
        }
        var projects = roles.projectsOf(target.id());
        boolean onlyInCallersProject = caller.role() == Caller.Role.ADMIN && !projects.isEmpty()
                && projects.stream().allMatch(caller.projectId()::equals);
        if (!onlyInCallersProject) {
            throw new ApiException(ErrorCode.FORBIDDEN, "You may not manage this user's access keys.");
        }
    }

    private static AccessKey view(AccessKeyStore.Key key, @Nullable String secret) {
        return new AccessKey(key.accessKey(), secret, key.status(), key.userId(), key.description(),
                Times.iso(key.createdAt()));
    }
}
