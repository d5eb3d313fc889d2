package io.deskfleet.controlplane.web;

import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What no body may carry, on any endpoint: a number with a fraction or exponent where the contract has an Integer
 * (Jackson would truncate it), and NUL in any string (PostgreSQL cannot store it). Each is a 400 naming the field.
 */
@MicronautTest(transactional = false)
class StrictBodyValuesTest extends ControlPlaneTestBase {
    private static final String P = "strict";
    private static final String INTEGER = ": must be an integer (a JSON number without fraction or exponent)";
    private static final String NUL = ": must not contain NUL (\\u0000) characters";

    private void assertRefused(String path, String body, String message) {
        Response r = post(P, path, body);
        assertEquals(400, r.status(), () -> body + " -> " + r);
        assertEquals("WKS.00211102", r.body().get("error_code").asText(), r::toString);
        assertEquals(message, r.body().get("error_msg").asText(), r::toString);
    }

    @Test
    void aFractionOrExponentInAnIntegerFieldIsRefusedNamingIt() {
        String pool = "/desktop-pools/" + createPool(P, "strict-pool") + "/script-executions";
        String command = "\"command_content\":\"true\",\"command_type\":\"SHELL\",\"dry_run\":true";
        assertRefused(pool, "{" + command + ",\"gray_count\":2.5}", "gray_count" + INTEGER);
        assertRefused(pool, "{" + command + ",\"execution_timeout\":1.5}", "execution_timeout" + INTEGER);
        assertRefused(pool, "{" + command + ",\"gray_fail_threshold\":2.0}", "gray_fail_threshold" + INTEGER);
        assertRefused(pool, "{" + command + ",\"execution_timeout\":1e1}", "execution_timeout" + INTEGER);
        assertRefused(pool, "{" + command + ",\"gray_count\":2147483648}", "gray_count" + INTEGER + " (out of range)");
        assertRefused("/scheduled-tasks", "{\"task_name\":\"n\",\"task_type\":\"STOP\",\"scheduled_type\":\"DAY\","
                + "\"day_interval\":1.5,\"scheduled_time\":\"03:00:00\"}", "day_interval" + INTEGER);
        assertRefused("/agent-activations", "{\"pool_id\":\"p\",\"registration_limit\":1E+400}",
                "registration_limit" + INTEGER);
        assertEquals(0, get(P, "/script-execution-tasks").body().get("count").asInt(), "nothing ran");
    }

    @Test
    void nulInAnyStringOfABodyIsRefusedNamingIt() {
        int pools = get(P, "/desktop-pools").body().get("total_count").asInt();
        assertRefused("/scripts", "{\"name\":\"s\",\"type\":\"SHELL\",\"content\":\"echo a\\u0000b\"}", "content" + NUL);
        assertRefused("/desktop-pools", "{\"name\":\"a\\u0000\",\"type\":\"STATIC\"}", "name" + NUL);
        assertRefused("/script-executions", "{\"resource_ids\":[\"d\\u0000\"],\"script_ids\":[\"s\"]}",
                "resource_ids" + NUL);
        // A field with a deserializer of its own keeps that deserializer's words.
        assertRefused("/script-executions", "{\"resource_ids\":[1],\"script_ids\":[\"s\"]}",
                "resource_ids: must be an array of strings or of objects {\"resource_id\": \"...\"}");
        assertRefused("/scheduled-tasks", "{\"task_name\":\"n\",\"task_type\":\"STOP\",\"scheduled_type\":\"DAY\","
                + "\"day_interval\":1,\"scheduled_time\":\"03:00:00\",\"apply_objects\":[{\"object_type\":\"DESKTOP\","
                + "\"object_id\":\"\\u0000\"}]}", "apply_objects[0].object_id" + NUL);
        assertEquals(0, get(P, "/scripts").body().get("count").asInt(), "nothing stored");
        assertEquals(pools, get(P, "/desktop-pools").body().get("total_count").asInt(), "nothing stored");
    }

    @Test
    void nulInThePathOrAQueryParameterIsRefusedNamingIt() {
        Response query = get(P, "/scripts?name=a%00b");
        assertEquals(400, query.status(), query::toString);
        assertEquals("name" + NUL, query.body().get("error_msg").asText());
        Response path = call(HttpRequest.GET("/v2/" + P + "/scripts/a%00b").header("X-Auth-Token", token(P)));
        assertEquals(400, path.status(), path::toString);
        assertEquals("path" + NUL, path.body().get("error_msg").asText());
    }
}
