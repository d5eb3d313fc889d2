package io.deskfleet.controlplane;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The OpenAPI annotations describe the generated document (served at /openapi/deskfleet.yml, see README). */
@OpenAPIDefinition(
        info = @Info(title = "Deskfleet", version = "v2",
                description = "Workspace v2 script and scheduled-task API. Every /v2/{project_id}/... call needs an"
                        + " X-Auth-Token from POST /v3/auth/tokens, scoped to that project."))
// The /v2 controllers require it (@SecurityRequirement), as AuthFilter does; POST /v3/auth/tokens does not.
@SecurityScheme(name = "X-Auth-Token", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "X-Auth-Token")
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
