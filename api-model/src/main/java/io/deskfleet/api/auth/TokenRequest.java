package io.deskfleet.api.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;

import java.util.List;

/** The Keystone v3 password authentication body of {@code POST /v3/auth/tokens}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TokenRequest(Auth auth) {

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
        if (identity.methods() == null || !identity.methods().contains("password")) {
            throw ApiException.invalid("auth.identity.methods must contain \"password\".");
        }
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
        return new Credentials(user.name(), user.password(), domainName, projectId);
    }
}
