package io.deskfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.scheduler.ScheduleSpec;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST calls the benchmark makes, each checked: an answer with another status or without a field the bench
 * needs stops the run with the request, the status and the body.
 */
final class ControlPlaneApi {
    static final Set<String> TERMINAL = Set.of("SUCCESS", "FAILED", "CANCELLED");
    /** Page size when listing a pool's desktops. */
    static final int PAGE = 1000;
    /** The largest page of a scheduled task's records the API serves. */
    static final int MAX_RECORDS_PAGE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String projectId;
    private String token;

    ControlPlaneApi(String baseUrl, String projectId) {
        this.baseUrl = baseUrl;
        this.projectId = projectId;
    }

    /** Keystone v3 password login scoped to the project; the token comes back in X-Subject-Token. */
    void login(String user, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode userNode = identity.putObject("password").putObject("user");
        userNode.put("name", user).put("password", password);
        userNode.putObject("domain").put("name", "Default");
        auth.putObject("scope").putObject("project").put("id", projectId);
        HttpResponse<String> response = send("POST", "/v3/auth/tokens", body);
        expect(response, 201);
        token = response.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> unexpected(response, "no X-Subject-Token header"));
    }

    String createPool(String name) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("type", "DYNAMIC");
        return text(post("/v2/" + projectId + "/desktop-pools", body), "id");
    }

    Activation createActivation(String poolId, int registrationLimit) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("pool_id", poolId)
                .put("registration_limit", registrationLimit).put("expires_in_hours", 1);
        Answer answer = post("/v2/" + projectId + "/agent-activations", body);
        return new Activation(text(answer, "activation_id"), text(answer, "activation_code"));
    }

    /** How many desktops of the pool the control plane reports agent_online, reading every page. */
    int onlineCount(String poolId) throws IOException, InterruptedException {
        int online = 0;
        int offset = 0;
        int total;
        do {
            Answer page = get("/v2/" + projectId + "/desktops/detail?pool_id=" + encode(poolId)
                    + "&offset=" + offset + "&limit=" + PAGE);
            total = field(page, "total_count").asInt();
            JsonNode desktops = field(page, "desktops");
            if (desktops.isEmpty()) {
                break;
            }
            for (JsonNode desktop : desktops) {
                if (desktop.path("agent_online").asBoolean()) {
                    online++;
                }
            }
            offset += desktops.size();
        } while (offset < total);
        return online;
    }

    String startExecution(String poolId, String command, int grayCount, int grayFailThreshold)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("command_content", command)
                .put("command_type", "SHELL")
                .put("gray_count", grayCount)
                .put("gray_fail_threshold", grayFailThreshold);
        return text(post("/v2/" + projectId + "/desktop-pools/" + encode(poolId) + "/script-executions", body),
                "task_id");
    }

    TaskState task(String taskId) throws IOException, InterruptedException {
        Answer answer = get("/v2/" + projectId + "/script-execution-tasks?task_id=" + encode(taskId));
        JsonNode tasks = field(answer, "script_tasks");
        if (tasks.size() != 1) {
            throw unexpected(answer.response, "expected exactly one task " + taskId + " in script_tasks");
        }
        return taskState(answer, tasks.get(0));
    }

    private static TaskState taskState(Answer answer, JsonNode task) {
        for (String name : new String[] {"status", "success_num", "failed_num", "skip_num"}) {
            if (!task.hasNonNull(name)) {
                throw unexpected(answer.response, "task has no " + name);
            }
        }
        return new TaskState(task.get("status").asText(), task.get("success_num").asInt(),
                task.get("failed_num").asInt(), task.get("skip_num").asInt());
    }

    /** Id and status of every record of an execution task, reading every page. */
    List<ExecutionRecord> executionRecords(String taskId) throws IOException, InterruptedException {
        List<ExecutionRecord> result = new ArrayList<>();
        int count;
        do {
            Answer page = get("/v2/" + projectId + "/script-execution-records?script_task_id=" + encode(taskId)
                    + "&offset=" + result.size() + "&limit=" + MAX_RECORDS_PAGE);
            count = field(page, "count").asInt();
            JsonNode records = field(page, "script_records");
            if (records.isEmpty()) {
                break;
            }
            for (JsonNode record : records) {
                result.add(new ExecutionRecord(record.get("id").asText(), record.get("status").asText()));
            }
        } while (result.size() < count);
        return result;
    }

    /**
     * The pool's newest task as {@code GET .../desktop-pools/script-execution-tasks/detail} lists it: counts and
     * status without the task's desktop ids, so polling it does not make the control plane read and serialize every
     * target of a 10,000-desktop task 50 times a second.
     */
    TaskState newestPoolTask(String poolId, String taskId) throws IOException, InterruptedException {
        Answer answer = get("/v2/" + projectId + "/desktop-pools/script-execution-tasks/detail?desktop_pool_id="
                + encode(poolId) + "&limit=1");
        JsonNode tasks = field(answer, "script_execution_tasks");
        if (tasks.size() != 1 || !taskId.equals(tasks.get(0).path("id").asText())) {
            throw unexpected(answer.response, "expected task " + taskId + " first in script_execution_tasks");
        }
        return taskState(answer, tasks.get(0));
    }

    /** An enabled scheduled task with this schedule that applies to every desktop of one pool; its id. */
    String createScheduledTask(String name, String taskType, ScheduleSpec schedule, String poolId)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("task_name", name)
                .put("task_type", taskType)
                .put("enable", true)
                .put("scheduled_type", schedule.scheduledType())
                .put("day_interval", schedule.dayInterval())
                .put("week_list", schedule.weekList())
                .put("month_list", schedule.monthList())
                .put("date_list", schedule.dateList())
                .put("scheduled_date", schedule.scheduledDate())
                .put("scheduled_time", schedule.scheduledTime())
                .put("expire_time", schedule.expireTime())
                .put("life_cycle_type", schedule.lifeCycleType())
                .put("time_zone", schedule.timeZone());
        body.putArray("apply_objects").addObject().put("object_type", "DESKTOP_POOL").put("object_id", poolId);
        return text(post("/v2/" + projectId + "/scheduled-tasks", body), "task_id");
    }

    /** Every record (fire) of a scheduled task, newest first. */
    List<ScheduleRecord> scheduleRecords(String taskId) throws IOException, InterruptedException {
        Answer answer = get("/v2/" + projectId + "/scheduled-tasks/" + encode(taskId) + "/records?limit="
                + MAX_RECORDS_PAGE);
        int total = field(answer, "total_count").asInt();
        JsonNode records = field(answer, "tasks_records");
        if (total > records.size()) {
            throw unexpected(answer.response, "more records than one page holds");
        }
        List<ScheduleRecord> result = new ArrayList<>();
        for (JsonNode record : records) {
            if (!record.hasNonNull("start_time") || !record.hasNonNull("status")) {
                throw unexpected(answer.response, "record without start_time or status");
            }
            result.add(new ScheduleRecord(record.get("start_time").asText(), record.get("status").asText()));
        }
        return result;
    }

    /**
     * A record's stored output as raw bytes with its headers (X-Output-Truncated, X-Output-Complete): whole, or the
     * slice a Range header (e.g. {@code bytes=0-0}) names when range is not null.
     */
    HttpResponse<byte[]> recordOutput(String recordId, String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/" + projectId
                        + "/script-execution-records/" + encode(recordId) + "/output"))
                .timeout(Duration.ofSeconds(60)).header("X-Auth-Token", token);
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * The samples of one meter on /prometheus (no token), by the value of one of its tags: for example
     * deskfleet_agent_streams_ended_total by why.
     */
    Map<String, Double> prometheus(String meter, String tag) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw unexpected(response, "expected status 200");
        }
        Pattern sample = Pattern.compile("^" + Pattern.quote(meter) + "\\{[^}]*\\b" + Pattern.quote(tag)
                + "=\"([^\"]*)\"[^}]*} (\\S+)$");
        Map<String, Double> values = new TreeMap<>();
        response.body().lines().map(sample::matcher).filter(Matcher::matches)
                .forEach(m -> values.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum));
        return values;
    }

    private Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", path, body);
        return new Answer(response, expect(response, 200));
    }

    private Answer get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path, null);
        return new Answer(response, expect(response, 200));
    }

    private HttpResponse<String> send(String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw unexpected(response, "expected status " + status);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unexpected(response, "body is not JSON");
        }
    }

    private static JsonNode field(Answer answer, String name) {
        JsonNode value = answer.body.get(name);
        if (value == null || value.isNull()) {
            throw unexpected(answer.response, "no field " + name);
        }
        return value;
    }

    private static String text(Answer answer, String name) {
        return field(answer, name).asText();
    }

    static IllegalStateException unexpected(HttpResponse<String> response, String why) {
        return new IllegalStateException(why + ": " + response.request().method() + " " + response.request().uri()
                + " -> " + response.statusCode() + " " + response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Answer(HttpResponse<String> response, JsonNode body) {
    }

    record ScheduleRecord(String startTime, String status) {
    }

    record ExecutionRecord(String id, String status) {
    }

    record Activation(String id, String code) {
    }

    record TaskState(String status, int successNum, int failedNum, int skipNum) {
        boolean terminal() {
            return TERMINAL.contains(status);
        }

        int finished() {
            return successNum + failedNum + skipNum;
        }
    }
}
