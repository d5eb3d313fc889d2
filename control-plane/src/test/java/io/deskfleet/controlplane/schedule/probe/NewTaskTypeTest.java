package io.deskfleet.controlplane.schedule.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The proof that a scheduled task type is one package: with {@link ProbeTaskType} on, a whole control plane
 * validates, stores, lists, fires and records PROBE tasks through the REST API, and names PROBE in its refusals,
 * although no file outside the probe package knows it.
 */
@MicronautTest(transactional = false)
class NewTaskTypeTest extends ControlPlaneTestBase {
    @Inject
    ProbeTaskType probe;

    @Override
    public @NonNull Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("deskfleet.test.probe-task-type", "true");
        return p;
    }

    @Test
    void theNewTypeChecksItsOwnFieldsAndIsNamedInRefusals() {
        String p = "probe-refusals";
        String lifeCycle = "\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_REBUILD_DESKTOP_SUCCESS\"";
        Response missing = post(p, "/scheduled-tasks", "{\"task_name\":\"n\",\"task_type\":\"PROBE\"," + lifeCycle
                + ",\"extra_params\":\"{}\"}");
        assertEquals(400, missing.status(), missing.toString());
        assertEquals("WKS.00211102", missing.body().get("error_code").asText());
        assertEquals("extra_params: label (text) is required for PROBE", missing.body().get("error_msg").asText());

        Response unknown = post(p, "/scheduled-tasks", "{\"task_name\":\"n\",\"task_type\":\"DANCE\"," + lifeCycle
                + "}");
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("task_type: must be one of START, STOP, REBOOT, HIBERNATE, EXECUTE_SCRIPT, PROBE, got 'DANCE'",
                unknown.body().get("error_msg").asText());
        assertEquals(0, get(p, "/scheduled-tasks").body().get("total_count").asInt(), "nothing stored");
    }

    @Test
    void aRebuildFiresTheNewTypeAndItsRecordShowsTheDesktop() throws Exception {
        String p = "probe-fire";
        String pool = createPool(p, "probe-pool");
        String[] act = createActivation(p, pool, 1);
        try (TestAgent agent = new TestAgent(agentLink.port())) {
            RegisterResponse desktop = agent.register(p, act[0], act[1], pool, "d1", Map.of());
            Response created = post(p, "/scheduled-tasks", "{\"task_name\":\"probe\",\"task_type\":\"PROBE\","
                    + "\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_REBUILD_DESKTOP_SUCCESS\","
                    + "\"extra_params\":\"{\\\"label\\\":\\\"hello\\\"}\","
                    + "\"apply_objects\":[{\"object_type\":\"ALL_DESKTOPS\"}]}");
            assertEquals(200, created.status(), created.toString());
            String id = created.body().get("task_id").asText();
            assertEquals("PROBE", get(p, "/scheduled-tasks?task_type=PROBE").body().get("scheduled_tasks").get(0)
                    .get("task_type").asText());

            assertEquals(1, post(p, "/desktops/" + desktop.getDesktopId() + "/rebuild", "{}").body()
                    .get("triggered_tasks").asInt());
            await("the fire", () -> "SUCCESS".equals(get(p, "/scheduled-tasks/" + id).body()
                    .get("last_status").asText(null)));
            assertEquals(List.of("hello@" + desktop.getDesktopId()), probe.fired);
            JsonNode record = get(p, "/scheduled-tasks/" + id + "/records").body().get("tasks_records").get(0);
            assertEquals("PROBE", record.get("task_type").asText());
            assertEquals(1, record.get("success_num").asInt());
            JsonNode detail = get(p, "/scheduled-tasks/" + id + "/records/" + record.get("id").asText()).body()
                    .get("tasks_records_details").get(0);
            assertEquals(desktop.getDesktopId(), detail.get("desktop_id").asText());
            assertEquals("SUCCESS", detail.get("exec_status").asText());
        }
    }
}
