package io.deskfleet.controlplane.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Automation iterates over list fields without null checks: an empty result is an empty array, never absent. */
@MicronautTest(transactional = false)
class EmptyListsTest extends ControlPlaneTestBase {

    @Test
    void emptyListsAreEmptyArrays() {
        assertEmptyArray(get("empty-lists", "/desktop-pools").body(), "desktop_pools");
        assertEmptyArray(get("empty-lists", "/desktops/detail").body(), "desktops");
        assertEmptyArray(get("empty-lists", "/scripts").body(), "scripts");
        assertEmptyArray(get("empty-lists", "/script-execution-tasks").body(), "script_tasks");
        assertEmptyArray(get("empty-lists", "/script-execution-records").body(), "script_records");
    }

    private static void assertEmptyArray(JsonNode body, String field) {
        assertTrue(body.has(field) && body.get(field).isArray(), field + " missing in " + body);
        assertEquals(0, body.get(field).size(), body.toString());
    }
}
