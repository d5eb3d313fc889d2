package io.deskfleet.controlplane.script;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ScriptApiTest extends ControlPlaneTestBase {
    private static final String P = "scripts-project";

    @Test
    void createReadUpdateDelete() {
        Response created = post(P, "/scripts", """
                {"name":"cleanup","type":"shell","content":"rm -rf /tmp/cache","description":"clears","version":"1"}""");
        assertEquals(200, created.status(), created.toString());
        String id = created.body().get("script_id").asText();

        JsonNode detail = get(P, "/scripts/" + id).body();
        assertEquals("cleanup", detail.get("name").asText());
        assertEquals("SHELL", detail.get("type").asText());
        assertEquals("rm -rf /tmp/cache", detail.get("content").asText());
        assertEquals("clears", detail.get("description").asText());
        assertTrue(detail.hasNonNull("create_time"));

        Response updated = put("/scripts/" + id, """
                {"name":"cleanup2","content":"echo new","version":"2"}""");
        assertEquals(204, updated.status(), updated.toString());
        JsonNode after = get(P, "/scripts/" + id).body();
        assertEquals("cleanup2", after.get("name").asText());
        assertEquals("echo new", after.get("content").asText());
        assertEquals("2", after.get("version").asText());
        assertFalse(after.hasNonNull("description"), "PUT replaces: an absent description clears it");

        JsonNode list = get(P, "/scripts?name=CLEAN&type=SHELL").body();
        assertEquals(1, list.get("count").asInt());
        assertFalse(list.get("scripts").get(0).has("content"), "the list has no content");

        assertEquals(204, call(HttpRequest.DELETE("/v2/" + P + "/scripts/" + id)
                .header("X-Auth-Token", token(P))).status());
        assertEquals(404, get(P, "/scripts/" + id).status());
    }

    @Test
    void badScriptsAre400AndStoreNothing() {
        String[] bad = {
                "{\"type\":\"SHELL\",\"content\":\"x\"}",
                "{\"name\":\"n\",\"type\":\"ZSH\",\"content\":\"x\"}",
                "{\"name\":\"n\",\"type\":\"SHELL\"}",
                "{\"name\":\"n\",\"type\":\"SHELL\",\"content\":\"" + "x".repeat(100_001) + "\"}",
                "{\"name\":\"n\",\"type\":\"SHELL\",\"content\":\"x\",\"description\":\"" + "d".repeat(257) + "\"}",
                "{\"name\":\"n\",\"type\":\"SHELL\",\"content\":\"x\",\"version\":\"" + "v".repeat(129) + "\"}",
                "{\"name\":\"n\",\"type\":\"SHELL\",\"content\":5}",
        };
        for (String body : bad) {
            Response r = post(P + "-bad", "/scripts", body);
            assertEquals(400, r.status(), body.substring(0, Math.min(80, body.length())) + " -> " + r);
            assertEquals("WKS.00211102", r.body().get("error_code").asText(), r.toString());
        }
        assertEquals(0, get(P + "-bad", "/scripts").body().get("count").asInt());
    }

    @Test
    void typeCannotChangeAndUnknownScriptsAre404() {
        String id = post(P + "-type", "/scripts", "{\"name\":\"n\",\"type\":\"SHELL\",\"content\":\"x\"}")
                .body().get("script_id").asText();
        Response changed = put("/scripts/" + id, "{\"name\":\"n\",\"type\":\"BAT\",\"content\":\"y\"}",
                P + "-type");
        assertEquals(400, changed.status(), changed.toString());
        assertEquals("x", get(P + "-type", "/scripts/" + id).body().get("content").asText(), "unchanged");
        assertEquals(404, put("/scripts/nope", "{\"name\":\"n\",\"content\":\"y\"}", P + "-type").status());
        assertEquals(404, call(HttpRequest.DELETE("/v2/" + P + "-type/scripts/nope")
                .header("X-Auth-Token", token(P + "-type"))).status());
    }

    private Response put(String path, String json) {
        return put(path, json, P);
    }

    private Response put(String path, String json, String project) {
        return call(HttpRequest.PUT("/v2/" + project + path, json).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Auth-Token", token(project)));
    }
}
