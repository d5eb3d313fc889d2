package io.deskfleet.api.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

import java.util.List;

/** The Keystone v3 password authentication body of {@code POST /v3/auth/tokens}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TokenRequest(Auth auth) {
    /** The users table's name column. */
    public static final int MAX_USER_NAME = 255;
    /** Generous: the administrator's password comes from the environment, unchecked. */
    public static final int MAX_PASSWORD = 1024;
    public static final int MAX_DOMAIN_NAME = 255;
    /** Keystone knows a handful of methods (password, token, totp...); we need only "password". */
    private static final int MAX_METHODS = 8;
    private static final int MAX_METHOD = 64;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Auth(Identity identity, Scope scope) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Identity(List<String> methods, Password password) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Password(User user) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record User(String name, String password, Domain domain) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Domain(String name) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Scope(Project project) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Project(String id) {
    }

    /** What a valid body asks for. */
    public record Credentials(String userName, String password, String domainName, String projectId) {
    }

    /** Checks the body's shape; wrong credentials are the caller's business, a malformed body is a 400. */
    public Credentials validate() {
        if (auth == null || auth.identity() == null) {
            throw ApiException.invalid("auth.identity is required.");
        }
        Identity identity = auth.identity();
        if (identity.methods() == null || identity.methods().size() > MAX_METHODS
                || !identity.methods().contains("password")) {
            throw ApiException.invalid("auth.identity.methods must contain \"password\".");
        }
        identity.methods().forEach(m -> Fields.bounded("auth.identity.methods", m, MAX_METHOD));
        if (identity.password() == null || identity.password().user() == null) {
            throw ApiException.invalid("auth.identity.password.user is required.");
        }
        User user = identity.password().user();
        if (user.name() == null || user.name().isEmpty() || user.password() == null) {
            throw ApiException.invalid("auth.identity.password.user needs name and password.");
        }
        if (auth.scope() == null || auth.scope().project() == null) {
            throw ApiException.invalid("auth.scope.project is required.");
        }
        String projectId = auth.scope().project().id();
        if (!ProjectIds.isValid(projectId)) {
            throw ApiException.invalid("auth.scope.project.id must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'.");
        }
        String domainName = user.domain() == null ? null : user.domain().name();
        // Nothing here is stored, but the name keys the login throttle and the password is hashed: both bounded.
        Fields.bounded("auth.identity.password.user.name", user.name(), MAX_USER_NAME);
        Fields.bounded("auth.identity.password.user.password", user.password(), MAX_PASSWORD);
        Fields.bounded("auth.identity.password.user.domain.name", domainName, MAX_DOMAIN_NAME);
        return new Credentials(user.name(), user.password(), domainName, projectId);
    }
}
