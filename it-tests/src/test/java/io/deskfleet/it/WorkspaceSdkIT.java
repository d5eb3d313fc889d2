package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ApplyObject;
import com.huaweicloud.sdk.workspace.v2.model.CreateScheduledTasksReq;
import com.huaweicloud.sdk.workspace.v2.model.CreateScheduledTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.CreateScriptReq;
import com.huaweicloud.sdk.workspace.v2.model.CreateScriptRequest;
import com.huaweicloud.sdk.workspace.v2.model.DeleteScheduledTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ExecuteDesktopPoolScriptRequest;
import com.huaweicloud.sdk.workspace.v2.model.ExecuteDesktopPoolScriptsReq;
import com.huaweicloud.sdk.workspace.v2.model.ListFutureExecutionsReq;
import com.huaweicloud.sdk.workspace.v2.model.ListFutureExecutionsRequest;
import com.huaweicloud.sdk.workspace.v2.model.ListFutureExecutionsResponse;
import com.huaweicloud.sdk.workspace.v2.model.ListScheduledTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ListScheduledTasksResponse;
import com.huaweicloud.sdk.workspace.v2.model.ListScriptRecordsRequest;
import com.huaweicloud.sdk.workspace.v2.model.ListScriptRecordsResponse;
import com.huaweicloud.sdk.workspace.v2.model.ListScriptTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ListScriptTasksResponse;
import com.huaweicloud.sdk.workspace.v2.model.ListScriptsRequest;
import com.huaweicloud.sdk.workspace.v2.model.ListScriptsResponse;
import com.huaweicloud.sdk.workspace.v2.model.ScriptRecordSimpleInfo;
import com.huaweicloud.sdk.workspace.v2.model.ScriptTaskInfo;
import com.huaweicloud.sdk.workspace.v2.model.UpdateScheduledTasksReq;
import com.huaweicloud.sdk.workspace.v2.model.UpdateScheduledTasksRequest;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public Huawei Cloud Workspace Java SDK (3.1.143, unchanged) against the real control-plane jar and real
 * agents, authenticated with an access key (BasicCredentials: AK/SK signing).
 */
class WorkspaceSdkIT {
    static final String PROJECT = "proj-sdk";
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static WorkspaceClient sdk;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "sdk-pool", 3);
        fleet.startAgents("sdk-desk", 3);
        ObjectNode user = RestClient.JSON.createObjectNode().put("password", "sdk-user-pass").put("role", "admin");
        String userId = api.put("/v2/" + PROJECT + "/users/sdk-user", user).expect(201).get("user").get("id").asText();
        ObjectNode credential = RestClient.JSON.createObjectNode();
        credential.putObject("credential").put("user_id", userId).put("description", "sdk it");
        JsonNode key = api.post("/v3.0/OS-CREDENTIAL/credentials", credential).expect(201).get("credential");
        sdk = WorkspaceClient.newBuilder()
                .withCredential(new BasicCredentials().withAk(key.get("access").asText())
                        .withSk(key.get("secret").asText()).withProjectId(PROJECT))
                .withEndpoints(List.of(cp.baseUrl()))
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withIgnoreSSLVerification(true))
                .build();
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void scriptsAndExecutionsThroughTheSdk() throws InterruptedException {
        String scriptId = sdk.createScript(new CreateScriptRequest().withBody(new CreateScriptReq()
                .withName("sdk-hello").withType("SHELL").withContent("echo sdk-$((6*7))").withDescription("from sdk")
                .withVersion("1"))).getScriptId();
        assertNotNull(scriptId);

        ListScriptsResponse scripts = sdk.listScripts(new ListScriptsRequest().withName("sdk-hello").withLimit(10)
                .withOffset(0));
        assertEquals(1, scripts.getCount());
        assertEquals(scriptId, scripts.getScripts().get(0).getId());
        assertEquals("sdk-hello", scripts.getScripts().get(0).getName());

        String taskId = sdk.executeDesktopPoolScript(new ExecuteDesktopPoolScriptRequest().withPoolId(fleet.poolId())
                .withBody(new ExecuteDesktopPoolScriptsReq().withScriptIds(List.of(scriptId)).withGrayCount(1)
                        .withGrayFailThreshold(1).withExecutionTimeout(30))).getTaskId();
        assertNotNull(taskId);

        ScriptTaskInfo task = null;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            ListScriptTasksResponse tasks = sdk.listScriptTasks(new ListScriptTasksRequest()
                    .withTaskId(List.of(taskId)).withLimit(10).withOffset(0));
            assertEquals(1, tasks.getCount());
            task = tasks.getScriptTasks().get(0);
            if (List.of("SUCCESS", "FAILED", "CANCELED", "PARTIAL_SUCCESS").contains(task.getStatus())) {
                break;
            }
            Thread.sleep(500);
        }
        assertNotNull(task);
        assertEquals("SUCCESS", task.getStatus(), task.toString());
        assertEquals(3, task.getSuccessNum());
        assertEquals(1, task.getGrayResourceIds().size());
        assertNotNull(task.getStartTime());
        assertNotNull(task.getEndTime());

        ListScriptRecordsResponse records = sdk.listScriptRecords(new ListScriptRecordsRequest()
                .withScriptTaskId(taskId).withLimit(10).withOffset(0));
        assertEquals(3, records.getCount());
        for (ScriptRecordSimpleInfo record : records.getScriptRecords()) {
            assertEquals("SUCCESS", record.getStatus(), record.toString());
            assertEquals(taskId, record.getScriptTaskId());
            assertNotNull(record.getResourceId());
            assertNotNull(record.getEndTime());
        }

        // An inline command, no script.
        String commandTask = sdk.executeDesktopPoolScript(new ExecuteDesktopPoolScriptRequest()
                .withPoolId(fleet.poolId()).withBody(new ExecuteDesktopPoolScriptsReq().withCommandContent("hostname")
                        .withCommandType(ExecuteDesktopPoolScriptsReq.CommandTypeEnum.SHELL))).getTaskId();
        assertNotNull(commandTask);
    }

    @Test
    void scheduledTasksThroughTheSdk() {
        ListFutureExecutionsResponse future = sdk.listFutureExecutions(new ListFutureExecutionsRequest()
                .withBody(new ListFutureExecutionsReq().withScheduledType(ListFutureExecutionsReq.ScheduledTypeEnum.WEEK)
                        .withWeekList("2,3,4,5,6").withScheduledTime("02:30:00").withTimeZone("Asia/Shanghai")));
        assertFalse(future.getFutureExecutions().isEmpty());

        // 3.1.143's CreateScheduledTasksReq has no task_name, task_type, apply_objects or extra_params, so a task
        // created through it cannot say what to run where: refused, nothing created (docs/contract-notes.md).
        ServiceResponseException refused = assertThrows(ServiceResponseException.class, () ->
                sdk.createScheduledTasks(new CreateScheduledTasksRequest().withBody(new CreateScheduledTasksReq()
                        .withScheduledType(CreateScheduledTasksReq.ScheduledTypeEnum.DAY).withDayInterval(1)
                        .withScheduledTime("03:00:00").withTimeZone("Asia/Shanghai"))));
        assertEquals(400, refused.getHttpStatusCode());
        assertEquals("WKS.00211102", refused.getErrorCode());

        ObjectNode body = RestClient.JSON.createObjectNode().put("task_name", "sdk nightly")
                .put("task_type", "EXECUTE_SCRIPT").put("scheduled_type", "DAY").put("day_interval", 1)
                .put("scheduled_time", "03:00:00").put("time_zone", "Asia/Shanghai")
                .put("extra_params", "{\"command_content\":\"hostname\",\"command_type\":\"SHELL\"}");
        body.putArray("apply_objects").addObject().put("object_type", "DESKTOP_POOL").put("object_id", fleet.poolId());
        String taskId = api.post("/v2/" + PROJECT + "/scheduled-tasks", body).expect(200).get("task_id").asText();

        ListScheduledTasksResponse listed = sdk.listScheduledTasks(new ListScheduledTasksRequest()
                .withTaskName("sdk nightly").withLimit(10).withOffset(0));
        assertEquals(1, listed.getTotalCount());
        assertEquals(taskId, listed.getScheduledTasks().get(0).getId());
        assertEquals("DAY", listed.getScheduledTasks().get(0).getScheduledType());
        assertNotNull(listed.getScheduledTasks().get(0).getNextExecutionTime());

        sdk.updateScheduledTasks(new UpdateScheduledTasksRequest().withTaskId(taskId).withBody(
                new UpdateScheduledTasksReq().withTaskName("sdk weekly").withScheduledType(
                                UpdateScheduledTasksReq.ScheduledTypeEnum.WEEK).withWeekList("2,4")
                        .withScheduledTime("04:00:00").withTimeZone("Asia/Shanghai")
                        .withExtraParams("{\"command_content\":\"hostname\",\"command_type\":\"SHELL\"}")
                        .withApplyObjects(List.of(new ApplyObject().withObjectType(ApplyObject.ObjectTypeEnum.DESKTOP_POOL)
                                .withObjectId(fleet.poolId())))));
        JsonNode after = api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).expect(200);
        assertEquals("sdk weekly", after.get("task_name").asText(), after.toString());
        assertEquals("WEEK", after.get("scheduled_type").asText());

        sdk.deleteScheduledTasks(new DeleteScheduledTasksRequest().withTaskId(taskId));
        assertEquals(404, api.get("/v2/" + PROJECT + "/scheduled-tasks/" + taskId).status());
        assertTrue(sdk.listScheduledTasks(new ListScheduledTasksRequest().withTaskName("sdk").withLimit(10)
                .withOffset(0)).getTotalCount() == 0);
    }
}
