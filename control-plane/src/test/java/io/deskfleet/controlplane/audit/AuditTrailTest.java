package io.deskfleet.controlplane.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.auth.SdkSignature;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail over HTTP: what each kind of call leaves in it, who may read it, and its filters. */
@MicronautTest(transactional = false)
class AuditTrailTest extends ControlPlaneTestBase {
    private static final String P = "audited";

    @Inject
    EmbeddedServer server;
    @Inject
    AuditStore store;
    @Inject
    AuditRetention retention;

    private Response as(String token, MutableHttpRequest<?> request) {
        return call(request.header("X-Auth-Token", token).contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private Response login(String user, String password) {
        return call(HttpRequest.POST("/v3/auth/tokens", tokenBody(user, password, P))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
    }

    private String user(String name, String role) {
        Response r = as(token(P), HttpRequest.PUT("/v2/" + P + "/users/" + name,
                "{\"password\":\"" + name + "-password\",\"role\":\"" + role + "\"}"));
        assertEquals(201, r.status(), r.toString());
        return r.body().get("user").get("id").asText();
    }

    private JsonNode events(String query) {
        Response r = get(P, "/audit-events?limit=100&" + query);
        assertEquals(200, r.status(), r.toString());
        return r.body();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aChangeIsRecordedWithWhoWhatWhereAndItsOutcome() {
        Instant before = Instant.now().minusSeconds(1);
        String poolId = createPool(P, "audited-pool");
        JsonNode list = events("operation=" + q("POST /desktop-pools") + "&target_id=" + poolId);
        assertEquals(1, list.get("total_count").asInt(), list.toString());
        JsonNode e = list.at("/audit_events/0");
        assertEquals("USER", e.get("actor_type").asText());
        assertEquals("admin", e.get("user_name").asText());
        assertEquals("admin", e.get("role").asText());
        assertEquals("127.0.0.1", e.get("client_address").asText());
        assertEquals("SUCCESS", e.get("outcome").asText());
        assertEquals(200, e.get("status_code").asInt());
        assertTrue(e.get("request_summary").asText().contains("audited-pool"), e.toString());
        assertFalse(Instant.parse(e.get("occurred_at").asText()).isBefore(before), e.toString());
        assertEquals(0, events("start_time=" + Instant.now().plusSeconds(60)).get("total_count").asInt());
    }

    @Test
    void loginsAndFailedLoginsAreRecordedWithoutThePassword() {
        user("au-dora", "admin");
        assertEquals(201, login("au-dora", "au-dora-password").status());
        assertEquals(401, login("au-dora", "wrong-password-42").status());
        JsonNode list = events("operation=" + q("POST /v3/auth/tokens") + "&user_name=au-dora");
        assertEquals(2, list.get("total_count").asInt(), list.toString());
        JsonNode failed = list.at("/audit_events/0");
        assertEquals("FAILURE", failed.get("outcome").asText());
        assertEquals(401, failed.get("status_code").asInt());
        assertEquals("WKS.00211302", failed.get("error_code").asText());
        assertEquals("ANONYMOUS", failed.get("actor_type").asText());
        JsonNode ok = list.at("/audit_events/1");
        assertEquals("SUCCESS", ok.get("outcome").asText());
        assertEquals("USER", ok.get("actor_type").asText());
        assertEquals("admin", ok.get("role").asText());
        assertFalse(list.toString().contains("wrong-password-42"), list.toString());
        assertFalse(list.toString().contains("au-dora-password"), list.toString());
        assertEquals(1, events("user_name=au-dora&outcome=failure").get("total_count").asInt());
    }

    @Test
    void aFailedLoginCarryingAnOverlongProjectAndANulIsStillRecorded() {
        // On PostgreSQL such an event was lost: its project id overflowed the column, a NUL is refused in text.
        String project = P + "-" + "x".repeat(100);
        Response refused = call(HttpRequest.POST("/v3/auth/tokens", tokenBody("au-nul\\u0000name", "wrong-42", project))
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertTrue(refused.status() >= 400 && refused.status() < 500, refused.toString());
        AuditStore.Listed listed = store.list(new AuditQuery(project.substring(0, 64), null, null, null,
                "POST /v3/auth/tokens", null, null), io.deskfleet.api.common.Page.of(0, 10, 10, 10));
        assertEquals(1, listed.totalCount(), listed.toString());
        assertEquals(AuditEvent.Outcome.FAILURE, listed.events().get(0).event().outcome());
        assertEquals("au-nul\uFFFDname", listed.events().get(0).event().actor().userName());
    }

    @Test
    void onlyTheProjectsAdminsReadTheTrailAndReadonlyRefusalsAreInIt() {
        user("au-rita", "readonly");
        String rita = login("au-rita", "au-rita-password").headers().get("X-Subject-Token");
        Response read = as(rita, HttpRequest.GET("/v2/" + P + "/audit-events"));
        assertEquals(403, read.status(), read.toString());
        assertEquals("WKS.00210403", read.body().get("error_code").asText());
        for (String field : List.of("error_msg", "error_detail", "encoded_authorization_message")) {
            assertTrue(read.body().has(field), read.toString());
        }
        assertEquals(403, as(rita, HttpRequest.POST("/v2/" + P + "/scripts",
                "{\"name\":\"s\",\"type\":\"SHELL\",\"content\":\"echo\"}")).status());
        JsonNode refused = events("user_name=au-rita&outcome=FAILURE").at("/audit_events/0");
        assertEquals("POST /scripts", refused.get("operation").asText());
        assertEquals("readonly", refused.get("role").asText());
        assertEquals(403, refused.get("status_code").asInt());
        // another project's admin token reads nothing here
        Response other = call(HttpRequest.GET("/v2/" + P + "/audit-events").header("X-Auth-Token", token("elsewhere")));
        assertEquals(403, other.status());
        assertEquals(0, events("user_name=au-rita&operation=" + q("GET /audit-events")).get("total_count").asInt(),
                "reads are not recorded");
    }

    @Test
    void accessKeysAreRecordedWithoutTheirSecretAndSignedCallsNameTheirKey() throws Exception {
        String userId = user("au-kim", "admin");
        Response created = as(token(P), HttpRequest.POST("/v3.0/OS-CREDENTIAL/credentials",
                "{\"credential\":{\"user_id\":\"" + userId + "\",\"description\":\"ci\"}}"));
        assertEquals(201, created.status(), created.toString());
        String ak = created.body().at("/credential/access").asText();
        String sk = created.body().at("/credential/secret").asText();
        JsonNode creation = events("target_id=" + ak).at("/audit_events/0");
        assertEquals("POST /v3.0/OS-CREDENTIAL/credentials", creation.get("operation").asText());
        assertFalse(events("target_id=" + ak).toString().contains(sk), "the secret is never stored in the trail");

        HttpResponse<String> signed = signed("POST", "/v2/" + P + "/desktop-pools",
                "{\"name\":\"signed-pool\",\"type\":\"DYNAMIC\"}", ak, sk);
        assertEquals(200, signed.statusCode(), signed.body());
        JsonNode bySigned = events("user_name=au-kim&operation=" + q("POST /desktop-pools")).at("/audit_events/0");
        assertEquals("ACCESS_KEY", bySigned.get("actor_type").asText(), bySigned.toString());
        assertEquals(ak, bySigned.get("access_key").asText());

        assertEquals(204, as(token(P), HttpRequest.DELETE("/v3.0/OS-CREDENTIAL/credentials/" + ak)).status());
        JsonNode revoked = events("target_id=" + ak + "&operation="
                + q("DELETE /v3.0/OS-CREDENTIAL/credentials/{access_key}")).at("/audit_events/0");
        assertEquals("SUCCESS", revoked.get("outcome").asText(), revoked.toString());
    }

    @Test
    void pagesAreStableAndFiltersAreValidated() {
        for (int i = 0; i < 3; i++) {
            createPool(P, "page-pool-" + i);
        }
        String op = "operation=" + q("POST /desktop-pools");
        int total = events(op).get("total_count").asInt();
        assertTrue(total >= 3);
        Set<String> ids = new HashSet<>();
        for (int offset = 0; offset < total; offset++) {
            JsonNode page = get(P, "/audit-events?limit=1&offset=" + offset + "&" + op).body();
            assertEquals(1, page.get("audit_events").size());
            ids.add(page.at("/audit_events/0/id").asText());
        }
        assertEquals(total, ids.size(), "every event on exactly one page");
        assertEquals(400, get(P, "/audit-events?outcome=maybe").status());
        assertEquals(400, get(P, "/audit-events?start_time=yesterday").status());
        assertEquals(400, get(P, "/audit-events?limit=0").status());
        Response delete = call(HttpRequest.DELETE("/v2/" + P + "/audit-events").header("X-Auth-Token", token(P)));
        assertTrue(delete.status() == 405 || delete.status() == 404, delete.toString());
        assertEquals(total, events(op).get("total_count").asInt(), "events are append-only");
    }

    @Test
    void theRetentionPurgesOnlyEventsOlderThanItKeeps() {
        AuditEvent old = new AuditEvent(P, Instant.now().minus(Duration.ofDays(400)), Actor.system(null), null,
                "retention.probe", List.of("old-target"), null, AuditEvent.Outcome.SUCCESS, null, null);
        store.append(old);
        store.append(new AuditEvent(P, Instant.now().minus(Duration.ofDays(10)), Actor.system(null), null,
                "retention.probe", List.of("recent-target"), null, AuditEvent.Outcome.SUCCESS, null, null));
        assertEquals(1, events("target_id=old-target").get("total_count").asInt());
        assertTrue(retention.purge() >= 1);
        assertEquals(0, events("target_id=old-target").get("total_count").asInt());
        assertEquals(1, events("target_id=recent-target").get("total_count").asInt());
    }

    private HttpResponse<String> signed(String method, String path, String body, String ak, String sk)
            throws Exception {
        URI uri = server.getURI().resolve(path);
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Map<String, String> headers = new TreeMap<>(Map.of("host", uri.getRawAuthority(), "x-project-id", P,
                "x-sdk-date", date));
        List<String> names = List.copyOf(headers.keySet());
        String canonical = SdkSignature.canonicalRequest(method, uri.getRawPath(), uri.getRawQuery(), names,
                headers::get, body.getBytes(StandardCharsets.UTF_8));
        String authorization = "SDK-HMAC-SHA256 Access=" + ak + ", SignedHeaders=" + String.join(";", names)
                + ", Signature=" + SdkSignature.signature(sk, date, canonical);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .header("X-Project-Id", P).header("X-Sdk-Date", date).header("Authorization", authorization)
                        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
