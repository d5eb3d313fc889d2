package io.deskfleet.api.auth;

import io.deskfleet.api.error.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenRequestTest {

    private static TokenRequest body(String projectId) {
        return new TokenRequest(new TokenRequest.Auth(
                new TokenRequest.Identity(List.of("password"), new TokenRequest.Password(
                        new TokenRequest.User("admin", "pw", new TokenRequest.Domain("d")))),
                projectId == null ? null : new TokenRequest.Scope(new TokenRequest.Project(projectId))));
    }

    @Test
    void validBodyYieldsCredentials() {
        assertEquals(new TokenRequest.Credentials("admin", "pw", "d", "proj_1-A"), body("proj_1-A").validate());
    }

    @Test
    void scopeMustBeAValidProjectId() {
        assertThrows(ApiException.class, () -> body(null).validate());
        assertThrows(ApiException.class, () -> body("").validate());
        assertThrows(ApiException.class, () -> body("a/b").validate());
        assertThrows(ApiException.class, () -> body("x".repeat(65)).validate());
    }
}
