package io.deskfleet.controlplane.auth;

import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest(transactional = false)
class ProjectRolesTest extends ControlPlaneTestBase {
    private static final String A = "roles-a";
    private static final String B = "roles-b";

    private String login(String user, String password, String project) {
        Response r = call(HttpRequest.POST("/v3/auth/tokens", tokenBody(user, password, project))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(201, r.status(), r.toString());
        return r.headers().get("X-Subject-Token");
    }

    private Response as(String token, MutableHttpRequest<?> request) {
        return call(request.header("X-Auth-Token", token).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private Response putUser(String token, String project, String name, String body) {
        return as(token, HttpRequest.PUT("/v2/" + project + "/users/" + name, body));
    }

    private static void assertForbidden(Response r) {
        assertEquals(403, r.status(), r.toString());
        assertEquals("WKS.00210403", r.body().get("error_code").asText());
    }

    @Test
    void readonlyMayOnlyReadAndAdminMayDoEverything() {
        String root = token(A);
        assertEquals(201, putUser(root, A, "ro-alice", "{\"password\":\"alice-pass-1\",\"role\":\"readonly\"}").status());
        assertEquals(201, putUser(root, A, "ad-bob", "{\"password\":\"bob-pass-12\",\"role\":\"admin\"}").status());

        String alice = login("ro-alice", "alice-pass-1", A);
        assertEquals(200, as(alice, HttpRequest.GET("/v2/" + A + "/desktop-pools")).status());
        assertEquals(200, as(alice, HttpRequest.GET("/v2/" + A + "/users")).status());
        assertForbidden(as(alice, HttpRequest.POST("/v2/" + A + "/desktop-pools", "{\"name\":\"x\",\"type\":\"DYNAMIC\"}")));
        assertForbidden(as(alice, HttpRequest.POST("/v2/" + A + "/scripts",
                "{\"name\":\"s\",\"type\":\"SHELL\",\"content\":\"echo\"}")));
        assertForbidden(putUser(alice, A, "ro-alice", "{\"role\":\"admin\"}"));
        assertForbidden(as(alice, HttpRequest.DELETE("/v2/" + A + "/users/ad-bob")));
        assertEquals(0, as(alice, HttpRequest.GET("/v2/" + A + "/desktop-pools")).body().get("total_count").asInt(),
                "refused requests changed nothing");

        String bob = login("ad-bob", "bob-pass-12", A);
        assertEquals(200, as(bob, HttpRequest.POST("/v2/" + A + "/desktop-pools",
                "{\"name\":\"bobs\",\"type\":\"DYNAMIC\"}")).status());
        Response carol = putUser(bob, A, "ro-carol", "{\"password\":\"carol-pass\",\"role\":\"readonly\"}");
        assertEquals(201, carol.status(), carol.toString());
        assertEquals("readonly", carol.body().get("user").get("role").asText());
        Response list = as(bob, HttpRequest.GET("/v2/" + A + "/users"));
        assertEquals(3, list.body().get("total_count").asInt(), list.toString());
        assertEquals("ad-bob", list.body().get("users").get(0).get("name").asText());
        assertEquals("admin", list.body().get("users").get(0).get("role").asText());

        // Promotion takes effect with the next token.
        assertEquals(200, putUser(bob, A, "ro-alice", "{\"role\":\"admin\"}").status());
        String alicePromoted = login("ro-alice", "alice-pass-1", A);
        assertEquals(200, as(alicePromoted, HttpRequest.POST("/v2/" + A + "/desktop-pools",
                "{\"name\":\"alices\",\"type\":\"DYNAMIC\"}")).status());
    }

    @Test
    void rolesArePerProjectAndTokensDoNotCrossProjects() {
        String root = token(A);
        assertEquals(201, putUser(root, A, "cross-dan", "{\"password\":\"dan-pass-12\",\"role\":\"admin\"}").status());
        String dan = login("cross-dan", "dan-pass-12", A);
        assertForbidden(as(dan, HttpRequest.GET("/v2/" + B + "/desktop-pools")));
        assertForbidden(as(dan, HttpRequest.POST("/v2/" + B + "/desktop-pools", "{\"name\":\"x\",\"type\":\"DYNAMIC\"}")));
        Response noRole = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("cross-dan", "dan-pass-12", B))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(401, noRole.status(), "no role in B: no token for B");
        assertEquals("WKS.00211302", noRole.body().get("error_code").asText());

        // Removing the role: no new token for A.
        assertEquals(204, as(root, HttpRequest.DELETE("/v2/" + A + "/users/cross-dan")).status());
        assertEquals(401, call(HttpRequest.POST("/v3/auth/tokens", tokenBody("cross-dan", "dan-pass-12", A))
                .contentType(MediaType.APPLICATION_JSON_TYPE)).status());
        assertEquals(404, as(root, HttpRequest.DELETE("/v2/" + A + "/users/cross-dan")).status());
    }

    @Test
    void aProjectAdminCannotResetThePasswordOfAnotherProjectsUser() {
        String rootA = token(A);
        String rootB = token(B);
        assertEquals(201, putUser(rootB, B, "pw-erin", "{\"password\":\"erin-pass-1\",\"role\":\"admin\"}").status());
        assertEquals(201, putUser(rootA, A, "pw-frank", "{\"password\":\"frank-pass\",\"role\":\"admin\"}").status());
        String frank = login("pw-frank", "frank-pass", A);
        assertForbidden(putUser(frank, A, "pw-erin", "{\"password\":\"stolen-pass\",\"role\":\"readonly\"}"));
        login("pw-erin", "erin-pass-1", B);
        // Granting a role in his own project without a password is fine.
        assertEquals(200, putUser(frank, A, "pw-erin", "{\"role\":\"readonly\"}").status());
        // A user only in this project: the project admin may reset the password.
        assertEquals(201, putUser(frank, A, "pw-gina", "{\"password\":\"gina-pass-1\",\"role\":\"readonly\"}").status());
        assertEquals(200, putUser(frank, A, "pw-gina", "{\"password\":\"gina-pass-2\",\"role\":\"readonly\"}").status());
        login("pw-gina", "gina-pass-2", A);
    }

    @Test
    void badUserRequestsAre4xx() {
        String root = token(A);
        assertEquals(400, putUser(root, A, "new-user", "{\"role\":\"readonly\"}").status(), "password needed to create");
        assertEquals(400, putUser(root, A, "new-user", "{\"password\":\"long-enough\",\"role\":\"owner\"}").status());
        assertEquals(400, putUser(root, A, "new-user", "{\"password\":\"short\",\"role\":\"admin\"}").status());
        assertEquals(400, putUser(root, A, "bad%20name", "{\"password\":\"long-enough\",\"role\":\"admin\"}").status());
        Response admin = putUser(root, A, "admin", "{\"role\":\"readonly\"}");
        assertEquals(409, admin.status(), admin.toString());
        assertEquals(401, call(HttpRequest.POST("/v3/auth/tokens", tokenBody("new-user", "long-enough", A))
                .contentType(MediaType.APPLICATION_JSON_TYPE)).status(), "nothing was created");
    }
}
