package io.deskfleet.controlplane;

import io.deskfleet.controlplane.startup.StartupFailures;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The OpenAPI annotations describe the generated document (served at /openapi/deskfleet.yml, see README). */
@OpenAPIDefinition(
        info = @Info(title = "Deskfleet", version = "v2",
                description = "Workspace v2 script and scheduled-task API. Every /v2/{project_id}/... call needs an"
                        + " X-Auth-Token from POST /v3/auth/tokens, scoped to that project. Operation ids are the"
                        + " public Huawei Cloud SDK's operation names where the SDK has the operation (IAM's for tokens"
                        + " and access keys); every error has the contract's error body (ErrorBody)."),
        // One tag per area, in the README's order; OpenApiDocumentTest checks every operation has exactly one of them.
        tags = {
                @Tag(name = "tokens", description = "Keystone v3 password tokens"),
                @Tag(name = "users", description = "Users and their role (admin or readonly) in a project"),
                @Tag(name = "access keys", description = "Access keys that sign requests as the Huawei Cloud SDKs do"),
                @Tag(name = "pools", description = "Desktop pools"),
                @Tag(name = "desktops", description = "Desktops, their agent state, power actions and revocation"),
                @Tag(name = "agents", description = "Activations that let agents register as desktops"),
                @Tag(name = "scripts", description = "Stored scripts"),
                @Tag(name = "executions", description = "Runs in gray batches; stop and retry"),
                @Tag(name = "results", description = "Execution tasks and per-desktop records"),
                @Tag(name = "record output", description = "A record's whole output (ours)"),
                @Tag(name = "live events", description = "Server-Sent Events of tasks and desktops (ours)"),
                @Tag(name = "audit", description = "The audit trail of every change (ours)"),
                @Tag(name = "approvals", description = "Protected pools and tags, and four-eyes approvals (ours)"),
                @Tag(name = "scheduled tasks", description = "Scheduled and life-cycle tasks and their fires")
        })
// The /v2 controllers require it (@SecurityRequirement), as AuthFilter does; POST /v3/auth/tokens does not.
@SecurityScheme(name = "X-Auth-Token", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-Auth-Token")
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        StartupFailures.explainPortsInUse(Micronaut.build(args).mainClass(Application.class)).start();
    }
}
