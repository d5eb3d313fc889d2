package io.deskfleet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starting executions and reading them back the way a user's automation does. */
public final class Executions {
    private final RestClient api;
    private final String projectId;

    public Executions(RestClient api, String projectId) {
        this.api = api;
        this.projectId = projectId;
    }

    public static ObjectNode command(String content) {
        return RestClient.JSON.createObjectNode().put("command_content", content).put("command_type", "SHELL");
    }

    public String onPool(String poolId, ObjectNode body) {
        return api.post("/v2/" + projectId + "/desktop-pools/" + poolId + "/script-executions", body)
                .expect(200).get("task_id").asText();
    }

    public RestClient.Response postOnPool(String poolId, Object body) {
        return api.post("/v2/" + projectId + "/desktop-pools/" + poolId + "/script-executions", body);
    }

    public JsonNode task(String taskId) {
        JsonNode tasks = api.get("/v2/" + projectId + "/script-execution-tasks?task_id=" + taskId).expect(200)
                .get("script_tasks");
        if (tasks.size() != 1) {
            throw new AssertionError("expected one task " + taskId + " but got " + tasks);
        }
        return tasks.get(0);
    }

    public JsonNode awaitTerminal(String taskId, Duration timeout) {
        return Await.until("task " + taskId + " to end", timeout, () -> task(taskId),
                t -> !t.get("status").asText().matches("WAITING|RUNNING"));
    }

    public JsonNode awaitStatus(String taskId, String status, Duration timeout) {
        return Await.until("task " + taskId + " to be " + status, timeout, () -> task(taskId),
                t -> t.get("status").asText().equals(status));
    }

    /** Every record of the task, each with its detail (output, exit_code). */
    public List<JsonNode> records(String taskId) {
        JsonNode page = api.get("/v2/" + projectId + "/script-execution-records?script_task_id=" + taskId
                + "&limit=100").expect(200);
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode record : page.get("script_records")) {
            records.add(api.get("/v2/" + projectId + "/script-execution-records/" + record.get("id").asText())
                    .expect(200));
        }
        if (records.size() != page.get("count").asInt()) {
            throw new AssertionError("count " + page.get("count") + " but " + records.size() + " records");
        }
        return records;
    }

    public RestClient.Response stop(String taskId) {
        return api.post("/v2/" + projectId + "/script-executions/stop",
                RestClient.JSON.createObjectNode().put("task_id", taskId));
    }

    public String retry(String taskId) {
        return api.post("/v2/" + projectId + "/script-executions/retry",
                RestClient.JSON.createObjectNode().put("task_id", taskId)).expect(200).get("task_id").asText();
    }

    public String createScript(String name, String content) {
        ObjectNode body = RestClient.JSON.createObjectNode().put("name", name).put("type", "SHELL")
                .put("content", content);
        return api.post("/v2/" + projectId + "/scripts", body).expect(200).get("script_id").asText();
    }
}
