package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The record list filtered by resource_id: no index leads with the desktop, so these records are found task by task.
 * The filter must still give exactly that desktop's records, newest task first, combined with the other filters
 * and paging.
 */
@MicronautTest(transactional = false)
class RecordsOfOneDesktopTest extends ControlPlaneTestBase {
    private static final String P = "one-desktop";

    private TestAgent agent;
    private String poolId;

    @BeforeAll
    void setUp() {
        agent = new TestAgent(agentLink.port());
        poolId = createPool(P, "one-desktop-pool");
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        agent.close();
    }

    @Test
    void aDesktopsRecordsAcrossTasksNewestFirst() throws Exception {
        String[] activation = createActivation(P, poolId, 2);
        RegisterResponse a = agent.register(P, activation[0], activation[1], poolId, "pc-a", Map.of());
        RegisterResponse b = agent.register(P, activation[0], activation[1], poolId, "pc-b", Map.of());
        TestAgent.Link linkA = agent.online(a);
        TestAgent.Link linkB = agent.online(b);

        String first = runOnBoth(linkA, 0, linkB, 1);
        String second = runOnBoth(linkA, 2, linkB, 0);
        String desktop = a.getDesktopId();

        JsonNode all = records("resource_id=" + desktop);
        assertEquals(2, all.get("count").asInt(), all::toString);
        assertEquals(List.of(second, first), field(all, "script_task_id"), all::toString);
        assertEquals(List.of("FAILED", "SUCCESS"), field(all, "status"), all::toString);
        assertEquals(List.of(desktop, desktop), field(all, "resource_id"), all::toString);

        JsonNode succeeded = records("resource_id=" + desktop + "&status=SUCCESS");
        assertEquals(1, succeeded.get("count").asInt(), succeeded::toString);
        assertEquals(List.of(first), field(succeeded, "script_task_id"), succeeded::toString);

        JsonNode ofSecond = records("resource_id=" + b.getDesktopId() + "&script_task_id=" + second);
        assertEquals(List.of("SUCCESS"), field(ofSecond, "status"), ofSecond::toString);

        JsonNode secondPage = records("resource_id=" + desktop + "&limit=1&offset=1");
        assertEquals(2, secondPage.get("count").asInt(), secondPage::toString);
        assertEquals(List.of(first), field(secondPage, "script_task_id"), secondPage::toString);

        JsonNode none = records("resource_id=no-such-desktop");
        assertEquals(0, none.get("count").asInt(), none::toString);
        linkA.hangUp();
        linkB.hangUp();
    }

    /** Runs a command on the pool, answers it on both desktops, and waits for the task to end. */
    private String runOnBoth(TestAgent.Link linkA, int exitA, TestAgent.Link linkB, int exitB) throws Exception {
        Response posted = post(P, "/desktop-pools/" + poolId + "/script-executions",
                "{\"command_content\":\"echo hi\",\"command_type\":\"SHELL\"}");
        assertEquals(200, posted.status(), posted::toString);
        String taskId = posted.body().get("task_id").asText();
        linkA.answerNextRun(exitA);
        linkB.answerNextRun(exitB);
        await("task " + taskId + " over", () -> !get(P, "/script-execution-tasks?task_id=" + taskId).body()
                .get("script_tasks").get(0).get("status").asText().equals("RUNNING"));
        return taskId;
    }

    private JsonNode records(String query) {
        Response r = get(P, "/script-execution-records?" + query);
        assertEquals(200, r.status(), r::toString);
        return r.body();
    }

    private static List<String> field(JsonNode page, String name) {
        List<String> values = new ArrayList<>();
        page.get("script_records").forEach(r -> values.add(r.get(name).asText()));
        return values;
    }
}
