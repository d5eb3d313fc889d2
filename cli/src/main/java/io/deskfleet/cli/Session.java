package io.deskfleet.cli;

import io.deskfleet.cli.auth.Credentials;
import io.deskfleet.cli.http.ApiClient;

/** The logged-in project: an API client with the stored token, and the project's path prefix. */
public record Session(ApiClient api, String projectId) {

    public static Session current() {
        Credentials credentials = Credentials.load(Credentials.file());
        return new Session(new ApiClient(credentials.endpoint(), credentials.token()), credentials.projectId());
    }

    /** {@code /v2/{project_id}} followed by {@code suffix}. */
    public String path(String suffix) {
        return "/v2/" + projectId + suffix;
    }
}
