package io.deskfleet.controlplane.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access keys through the API, and requests signed with them the way the Huawei SDK signs. */
@MicronautTest(transactional = false)
class AccessKeyTest extends ControlPlaneTestBase {
    private static final String P = "ak-project";
    private static final DateTimeFormatter SDK_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Inject
    EmbeddedServer server;
    @Inject
    Database db;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String userId(String name, String role) {
        Response r = call(HttpRequest.PUT("/v2/" + P + "/users/" + name,
                        "{\"password\":\"" + name + "-password\",\"role\":\"" + role + "\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
        assertEquals(201, r.status(), r.toString());
        return r.body().get("user").get("id").asText();
    }

    private JsonNode createKey(String userId) {
        Response r = call(HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials",
                        "{\"credential\":{\"user_id\":\"" + userId + "\",\"description\":\"ci\"}}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P)));
        assertEquals(201, r.status(), r.toString());
        return r.body().get("credential");
    }

    /** Signs as the SDK does: host, x-project-id and x-sdk-date signed; content-type not. */
    private HttpResponse<String> signed(String method, String pathAndQuery, String body, String ak, String sk,
                                        Instant at, Map<String, String> extra) throws Exception {
        return signed(method, pathAndQuery, body, body, ak, sk, at, extra);
    }

    private HttpResponse<String> signed(String method, String pathAndQuery, String body, String sentBody, String ak,
                                        String sk, Instant at, Map<String, String> extra) throws Exception {
        URI uri = server.getURI().resolve(pathAndQuery);
        String date = SDK_DATE.format(at);
        Map<String, String> headers = new java.util.TreeMap<>(Map.of("host", uri.getRawAuthority(),
                "x-project-id", P, "x-sdk-date", date));
        List<String> names = List.copyOf(headers.keySet());
        String canonical = SdkSignature.canonicalRequest(method, uri.getRawPath(), uri.getRawQuery(), names,
                headers::get, body.getBytes(StandardCharsets.UTF_8));
        String authorization = "SDK-HMAC-SHA256 Access=" + ak + ", SignedHeaders=" + String.join(";", names)
                + ", Signature=" + SdkSignature.signature(sk, date, canonical);
        var builder = java.net.http.HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json").header("X-Project-Id", P).header("X-Sdk-Date", date)
                .header("Authorization", authorization)
                .method(method, sentBody.isEmpty() ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(sentBody));
        extra.forEach(builder::setHeader);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signed(String method, String pathAndQuery, String body, String ak, String sk)
            throws Exception {
        return signed(method, pathAndQuery, body, ak, sk, Instant.now(), Map.of());
    }

    private static String errorCode(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error_code").asText();
    }

    @Test
    void signedRequestsActWithTheKeysUserAndRole() throws Exception {
        JsonNode adminKey = createKey(userId("ak-admin", "admin"));
        String ak = adminKey.get("access").asText();
        String sk = adminKey.get("secret").asText();
        assertEquals(20, ak.length());
        assertEquals(40, sk.length());
        assertEquals("active", adminKey.get("status").asText());

        HttpResponse<String> created = signed("POST", "/v2/" + P + "/scripts",
                "{\"name\":\"signed script\",\"type\":\"SHELL\",\"content\":\"echo signed\"}", ak, sk);
        assertEquals(200, created.statusCode(), created.body());
        HttpResponse<String> listed = signed("GET", "/v2/" + P + "/scripts?name=signed%20script&limit=5&offset=0",
                "", ak, sk);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(1, JSON.readTree(listed.body()).get("count").asInt(), listed.body());

        JsonNode readonlyKey = createKey(userId("ak-reader", "readonly"));
        String rak = readonlyKey.get("access").asText();
        String rsk = readonlyKey.get("secret").asText();
        assertEquals(200, signed("GET", "/v2/" + P + "/scripts", "", rak, rsk).statusCode());
        HttpResponse<String> refused = signed("POST", "/v2/" + P + "/scripts",
                "{\"name\":\"nope\",\"type\":\"SHELL\",\"content\":\"echo\"}", rak, rsk);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("WKS.00210403", errorCode(refused));
    }

    @Test
    void badSignaturesAre401AndChangeNothing() throws Exception {
        JsonNode key = createKey(userId("ak-bad", "admin"));
        String ak = key.get("access").asText();
        String sk = key.get("secret").asText();
        String body = "{\"name\":\"forged\",\"type\":\"SHELL\",\"content\":\"echo\"}";
        List<HttpResponse<String>> refused = List.of(
                signed("POST", "/v2/" + P + "/scripts", body, ak, sk.substring(1) + "x"),
                signed("POST", "/v2/" + P + "/scripts", body, "NOSUCHACCESSKEY00000", sk),
                signed("POST", "/v2/" + P + "/scripts", body, ak, sk, Instant.now().minusSeconds(16 * 60), Map.of()),
                signed("POST", "/v2/" + P + "/scripts", body, ak, sk, Instant.now().plusSeconds(16 * 60), Map.of()),
                // Signed for one body, sent with another.
                signed("POST", "/v2/" + P + "/scripts", body.replace("forged", "other"), body, ak, sk, Instant.now(),
                        Map.of()),
                // The signed date changed on the way.
                signed("POST", "/v2/" + P + "/scripts", body, ak, sk, Instant.now(),
                        Map.of("X-Sdk-Date", SDK_DATE.format(Instant.now().minusSeconds(1)))));
        for (HttpResponse<String> r : refused) {
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("WKS.00211302", errorCode(r));
        }
        HttpResponse<String> otherProject = signed("GET", "/v2/" + P + "/scripts", "", ak, sk, Instant.now(),
                Map.of("X-Project-Id", "another-project"));
        assertEquals(403, otherProject.statusCode(), "X-Project-Id must match the path: " + otherProject.body());
        assertEquals(0, get(P, "/scripts?name=forged").body().get("count").asInt());
        assertEquals(200, signed("POST", "/v2/" + P + "/scripts", body, ak, sk).statusCode(), "control");
    }

    @Test
    void secretIsShownOnceAndStoredEncrypted() throws Exception {
        String owner = userId("ak-once", "readonly");
        JsonNode key = createKey(owner);
        String ak = key.get("access").asText();
        String sk = key.get("secret").asText();
        Response list = call(HttpRequest.GET("/v3.0/OS-CREDENTIAL/credentials?user_id=" + owner)
                .header("X-Auth-Token", token(P)));
        assertEquals(200, list.status(), list.toString());
        JsonNode listed = list.body().get("credentials").get(0);
        assertEquals(ak, listed.get("access").asText());
        assertEquals("ci", listed.get("description").asText());
        assertFalse(listed.has("secret"), "the secret is shown only at creation");
        assertFalse(call(HttpRequest.GET("/v3.0/OS-CREDENTIAL/credentials/" + ak).header("X-Auth-Token", token(P)))
                .body().get("credential").has("secret"));
        String stored = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT secret_encrypted FROM access_keys WHERE access_key = ?")) {
                ps.setString(1, ak);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertFalse(stored.contains(sk), "not stored in clear");

        assertEquals(204, call(HttpRequest.DELETE("/v3.0/OS-CREDENTIAL/credentials/" + ak)
                .header("X-Auth-Token", token(P))).status());
        assertEquals(401, signed("GET", "/v2/" + P + "/scripts", "", ak, sk).statusCode(), "deleted key");
    }

    @Test
    void onlyTheOwnerTheAdministratorOrTheirProjectAdminManageKeys() {
        String reader = userId("ak-owner", "readonly");
        String readerToken = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("ak-owner", "ak-owner-password", P))
                .contentType(MediaType.APPLICATION_JSON_TYPE)).headers().get("X-Subject-Token");
        Response own = call(HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials",
                        "{\"credential\":{\"user_id\":\"" + reader + "\"}}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", readerToken));
        assertEquals(201, own.status(), "a readonly user may create their own key: " + own);
        String other = userId("ak-other", "admin");
        Response foreign = call(HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials",
                        "{\"credential\":{\"user_id\":\"" + other + "\"}}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", readerToken));
        assertEquals(403, foreign.status(), foreign.toString());
        assertEquals(401, call(HttpRequest.GET("/v3.0/OS-CREDENTIAL/credentials")).status(), "no token");
        assertEquals(400, call(HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials", "{\"credential\":{}}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P))).status());
        assertEquals(404, call(HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials",
                        "{\"credential\":{\"user_id\":\"no-such-user\"}}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-Auth-Token", token(P))).status());
    }
}
