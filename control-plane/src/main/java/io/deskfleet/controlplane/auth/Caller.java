package io.deskfleet.controlplane.auth;

import io.micronaut.http.HttpRequest;

/**
 * The authenticated user behind a /v2 request, put on the request by {@link AuthFilter}. Controllers take it as a
 * parameter ({@code Caller caller}) or read it with {@link #of(HttpRequest)}.
 */
public record Caller(String userId, String userName, Role role, String projectId) {
    static final String ATTRIBUTE = "deskfleet.caller";

    /** A user's role in one project. */
    public enum Role {
        /** Everything in the project. */
        ADMIN,
        /** GET only. */
        READONLY;

        /** The name in the API: {@code admin} or {@code readonly}. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** The caller, when the request passed the auth filter (empty for a refused or unauthenticated one). */
    public static java.util.Optional<Caller> current(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class);
    }

    /** @throws IllegalStateException when the request did not pass the auth filter (a route outside /v2) */
    public static Caller of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new IllegalStateException("no authenticated caller on " + request.getPath()));
    }
}
