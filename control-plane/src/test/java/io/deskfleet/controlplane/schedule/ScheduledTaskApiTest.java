package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.agent.v1.RegisterResponse;
import io.deskfleet.agent.v1.SessionEvent;
import io.deskfleet.agent.v1.SessionEventType;
import io.deskfleet.controlplane.ControlPlaneTestBase;
import io.deskfleet.controlplane.TestAgent;
import io.deskfleet.controlplane.db.Database;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ScheduledTaskApiTest extends ControlPlaneTestBase {
    @Inject
    Database database;
    @Inject
    ScheduledTaskStore taskStore;
    @Inject
    FireStore fireStore;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String TZ = "Asia/Shanghai";

    private Response put(String projectId, String path, String json) {
        return call(HttpRequest.PUT("/v2/" + projectId + path, json).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Auth-Token", token(projectId)));
    }

    private Response delete(String projectId, String path) {
        return call(HttpRequest.DELETE("/v2/" + projectId + path).header("X-Auth-Token", token(projectId)));
    }

    /** A FIXED_TIME schedule {@code seconds} from now in Asia/Shanghai, as JSON fields. */
    private static String fixedIn(long seconds) {
        LocalDateTime at = LocalDateTime.now(ZoneId.of(TZ)).plusSeconds(seconds);
        return "\"scheduled_type\":\"FIXED_TIME\",\"scheduled_date\":\"" + DATE.format(at)
                + "\",\"scheduled_time\":\"" + TIME.format(at) + "\",\"time_zone\":\"" + TZ + "\"";
    }

    @Test
    void taskNameFilterMatchesUnderscoreAndPercentLiterally() {
        String p = "sched-name-filter";
        for (String name : new String[]{"patch_day", "patchXday", "100% cpu", "1000 cpu"}) {
            create(p, "{\"task_name\":\"" + name + "\",\"task_type\":\"REBOOT\",\"scheduled_type\":\"DAY\","
                    + "\"day_interval\":1,\"scheduled_time\":\"03:00:00\"}");
        }
        JsonNode underscore = get(p, "/scheduled-tasks?task_name=h_d").body();
        assertEquals(1, underscore.get("total_count").asInt(), underscore.toString());
        assertEquals("patch_day", underscore.get("scheduled_tasks").get(0).get("task_name").asText());
        JsonNode percent = get(p, "/scheduled-tasks?task_name=0%25%20cpu").body();
        assertEquals(1, percent.get("total_count").asInt(), percent.toString());
        assertEquals("100% cpu", percent.get("scheduled_tasks").get(0).get("task_name").asText());
    }

    private String create(String projectId, String json) {
        Response r = post(projectId, "/scheduled-tasks", json);
        assertEquals(200, r.status(), r.toString());
        return r.body().get("task_id").asText();
    }

    @Test
    void createReadListModifyDelete() {
        String p = "sched-crud";
        String id = create(p, "{\"task_name\":\"weekly reboot\",\"task_type\":\"REBOOT\",\"scheduled_type\":\"WEEK\","
                + "\"week_list\":\"2,4\",\"scheduled_time\":\"03:00:00\",\"time_zone\":\"" + TZ + "\","
                + "\"description\":\"patch night\",\"extra_params\":\"{\\\"notify_message\\\":\\\"bye\\\"}\","
                + "\"apply_objects\":[{\"object_type\":\"ALL_DESKTOPS\"}],\"wait_time\":30}");
        JsonNode detail = get(p, "/scheduled-tasks/" + id).body();
        assertEquals("weekly reboot", detail.get("task_name").asText());
        assertEquals("REBOOT", detail.get("task_type").asText());
        assertEquals("2,4", detail.get("week_list").asText());
        assertEquals("ALL_DESKTOPS", detail.get("apply_objects").get(0).get("object_type").asText());
        assertTrue(detail.get("enable").asBoolean());
        String next = detail.get("next_execution_time").asText();
        assertTrue(next.endsWith(" 03:00:00"), next);
        int weekday = LocalDateTime.parse(next.replace(' ', 'T')).getDayOfWeek().getValue();
        assertTrue(weekday == 1 || weekday == 3, "Monday (2) or Wednesday (4): " + next);

        JsonNode list = get(p, "/scheduled-tasks?task_type=REBOOT&scheduled_type=WEEK").body();
        assertEquals(1, list.get("total_count").asInt());
        JsonNode item = list.get("scheduled_tasks").get(0);
        assertEquals(id, item.get("id").asText());
        assertEquals(next, item.get("next_execution_time").asText());
        assertEquals(30, item.get("wait_time").asInt());
        assertEquals("{\"notify_message\":\"bye\"}", item.get("extra_params").asText());
        assertEquals(0, get(p, "/scheduled-tasks?task_type=STOP").body().get("total_count").asInt());

        // Partial modify: only the time changes; the next fire moves with it and everything else stays.
        Response modified = put(p, "/scheduled-tasks/" + id, "{\"scheduled_time\":\"05:15:00\",\"priority\":9}");
        assertEquals(200, modified.status(), modified.toString());
        assertNull(modified.body(), "empty body");
        JsonNode after = get(p, "/scheduled-tasks/" + id).body();
        String moved = after.get("next_execution_time").asText();
        assertTrue(moved.endsWith(" 05:15:00"), moved);
        int movedDay = LocalDateTime.parse(moved.replace(' ', 'T')).getDayOfWeek().getValue();
        assertTrue(movedDay == 1 || movedDay == 3, moved);
        assertEquals("2,4", after.get("week_list").asText());
        assertEquals("weekly reboot", after.get("task_name").asText());
        assertEquals(9, after.get("priority").asInt());

        assertEquals(200, put(p, "/scheduled-tasks/" + id, "{\"enable\":false}").status());
        JsonNode disabled = get(p, "/scheduled-tasks/" + id).body();
        assertFalse(disabled.get("enable").asBoolean());
        assertTrue(disabled.get("next_execution_time").isNull(), "a disabled task has no next execution");

        assertEquals(200, delete(p, "/scheduled-tasks/" + id).status());
        assertEquals(404, get(p, "/scheduled-tasks/" + id).status());
        assertEquals(0, get(p, "/scheduled-tasks").body().get("total_count").asInt());
    }

    @Test
    void everyBadRequestIs400NamingTheFieldAndChangesNothing() {
        String p = "sched-bad";
        String base = "\"task_name\":\"n\",\"task_type\":\"STOP\"";
        String[][] bad = {
                {"task_type", "{\"task_name\":\"n\",\"task_type\":\"DANCE\"," + fixedIn(3600) + "}"},
                {"scheduled_type", "{" + base + ",\"scheduled_type\":\"HOURLY\",\"scheduled_time\":\"10:00:00\"}"},
                {"week_list", "{" + base + ",\"scheduled_type\":\"WEEK\",\"week_list\":\"0,8\",\"scheduled_time\":\"10:00:00\"}"},
                {"month_list", "{" + base + ",\"scheduled_type\":\"MONTH\",\"month_list\":\"13\",\"date_list\":\"1\",\"scheduled_time\":\"10:00:00\"}"},
                {"date_list", "{" + base + ",\"scheduled_type\":\"MONTH\",\"month_list\":\"1\",\"date_list\":\"32\",\"scheduled_time\":\"10:00:00\"}"},
                {"scheduled_time", "{" + base + ",\"scheduled_type\":\"DAY\",\"day_interval\":1,\"scheduled_time\":\"25:00:00\"}"},
                {"expire_time", "{" + base + ",\"scheduled_type\":\"DAY\",\"day_interval\":1,\"scheduled_time\":\"10:00:00\",\"expire_time\":\"2030-01-01\"}"},
                {"time_zone", "{" + base + ",\"scheduled_type\":\"DAY\",\"day_interval\":1,\"scheduled_time\":\"10:00:00\",\"time_zone\":\"Nowhere/Land\"}"},
                {"scheduled_date", "{" + base + "," + fixedIn(-3600) + "}"},
                {"life_cycle_type", "{" + base + ",\"scheduled_type\":\"LIFE_CYCLE\"}"},
                {"task_type", "{\"task_name\":\"n\",\"task_type\":\"START\",\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_DESKTOP_DISCONNECTED\"}"},
                {"extra_params", "{" + base + "," + fixedIn(3600) + ",\"extra_params\":\"{oops\"}"},
                {"apply_objects[0].object_type", "{" + base + "," + fixedIn(3600) + ",\"apply_objects\":[{\"object_type\":\"VM\",\"object_id\":\"x\"}]}"},
                {"wait_time", "{" + base + "," + fixedIn(3600) + ",\"wait_time\":43201}"},
                {"task_name", "{\"task_type\":\"STOP\"," + fixedIn(3600) + "}"},
        };
        for (String[] c : bad) {
            Response r = post(p, "/scheduled-tasks", c[1]);
            assertEquals(400, r.status(), c[1] + " -> " + r);
            assertEquals("WKS.00211102", r.body().get("error_code").asText());
            assertTrue(r.body().get("error_msg").asText().startsWith(c[0]), c[0] + " -> " + r.body());
        }
        assertEquals(0, get(p, "/scheduled-tasks").body().get("total_count").asInt(), "nothing stored");

        String id = create(p, "{" + base + "," + fixedIn(3600) + "}");
        JsonNode before = get(p, "/scheduled-tasks/" + id).body();
        String[][] badModify = {
                {"week_list", "{\"scheduled_type\":\"WEEK\",\"week_list\":\"9\",\"scheduled_time\":\"10:00:00\"}"},
                {"priority", "{\"priority\":0}"},
                {"apply_object_update_type", "{\"apply_object_update_type\":\"SOME\"}"},
                {"time_zone", "{\"time_zone\":\"Bad/Zone\"}"},
                {"task_name", "{\"task_name\":\"\"}"},
        };
        for (String[] c : badModify) {
            Response r = put(p, "/scheduled-tasks/" + id, c[1]);
            assertEquals(400, r.status(), c[1] + " -> " + r);
            assertTrue(r.body().get("error_msg").asText().startsWith(c[0]), c[0] + " -> " + r.body());
        }
        assertEquals(before, get(p, "/scheduled-tasks/" + id).body(), "unchanged after refused modifies");
    }

    @Test
    void fieldsTheScheduleTypeDoesNotUseAreBoundedThenDropped() {
        String p = "sched-unused";
        String fixed = "\"task_name\":\"n\",\"task_type\":\"STOP\"," + fixedIn(3600);
        String[][] tooLong = {
                {"week_list", "\"week_list\":\"" + "1,".repeat(2_500) + "\""},
                {"month_list", "\"month_list\":\"" + "1".repeat(300) + "\""},
                {"date_list", "\"date_list\":\"" + "L".repeat(300) + "\""},
                {"life_cycle_type", "\"life_cycle_type\":\"" + "P".repeat(300) + "\""},
        };
        for (String[] c : tooLong) {
            Response r = post(p, "/scheduled-tasks", "{" + fixed + "," + c[1] + "}");
            assertEquals(400, r.status(), c[0] + " -> " + r);
            assertEquals("WKS.00211102", r.body().get("error_code").asText());
            assertTrue(r.body().get("error_msg").asText().startsWith(c[0] + ": must be at most"), r.toString());
        }
        assertEquals(0, get(p, "/scheduled-tasks").body().get("total_count").asInt(), "nothing stored");

        // The contract's own example: every schedule field sent with FIXED_TIME. Accepted; the unused ones are not kept.
        String id = create(p, "{" + fixed + ",\"day_interval\":1,\"week_list\":\"1,2,7\",\"month_list\":\"1,3,12\","
                + "\"date_list\":\"1,2,28,L\",\"life_cycle_type\":\"string\"}");
        JsonNode detail = get(p, "/scheduled-tasks/" + id).body();
        for (String unused : new String[] {"day_interval", "week_list", "month_list", "date_list", "life_cycle_type"}) {
            assertTrue(detail.get(unused).isNull(), unused + " dropped: " + detail);
        }
        assertEquals("FIXED_TIME", detail.get("scheduled_type").asText());

        for (String[] c : tooLong) {
            Response r = put(p, "/scheduled-tasks/" + id, "{" + c[1] + "}");
            assertEquals(400, r.status(), c[0] + " -> " + r);
            assertTrue(r.body().get("error_msg").asText().startsWith(c[0] + ": must be at most"), r.toString());
        }
        assertEquals(detail, get(p, "/scheduled-tasks/" + id).body(), "unchanged after refused modifies");
    }

    @Test
    void nulInATextFieldIsRefusedNamingIt() {
        String p = "sched-nul";
        String fixed = fixedIn(3600);
        Response name = post(p, "/scheduled-tasks", "{\"task_name\":\"a\\u0000b\",\"task_type\":\"STOP\"," + fixed + "}");
        assertEquals(400, name.status(), name.toString());
        assertEquals("task_name: must not contain NUL (\\u0000) characters", name.body().get("error_msg").asText());
        Response description = post(p, "/scheduled-tasks", "{\"task_name\":\"n\",\"task_type\":\"STOP\","
                + "\"description\":\"\\u0000\"," + fixed + "}");
        assertEquals(400, description.status(), description.toString());
        assertTrue(description.body().get("error_msg").asText().startsWith("description: "), description.toString());
        // Inside extra_params the command is JSON in a string: its NUL arrives escaped, and is refused all the same.
        Response command = post(p, "/scheduled-tasks", "{\"task_name\":\"n\",\"task_type\":\"EXECUTE_SCRIPT\","
                + fixed + ",\"extra_params\":\"{\\\"command_content\\\":\\\"a\\\\u0000b\\\",\\\"command_type\\\":\\\"SHELL\\\"}\"}");
        assertEquals(400, command.status(), command.toString());
        assertTrue(command.body().get("error_msg").asText().startsWith("extra_params: command_content: must not"),
                command.toString());
        assertEquals(0, get(p, "/scheduled-tasks").body().get("total_count").asInt(), "nothing stored");
    }

    @Test
    void unknownTasksAre404() {
        String p = "sched-404";
        assertEquals(404, get(p, "/scheduled-tasks/nope").status());
        assertEquals(404, put(p, "/scheduled-tasks/nope", "{\"task_name\":\"x\"}").status());
        assertEquals(404, delete(p, "/scheduled-tasks/nope").status());
        assertEquals(404, get(p, "/scheduled-tasks/nope/records").status());
        String id = create(p, "{\"task_name\":\"n\",\"task_type\":\"STOP\"," + fixedIn(3600) + "}");
        assertEquals(404, get("other-project", "/scheduled-tasks/" + id).status(), "projects are separate");
        assertEquals(404, get(p, "/scheduled-tasks/" + id + "/records/nope").status());
    }

    @Test
    void batchDeleteIsAllOrNothing() {
        String p = "sched-batch";
        String a = create(p, "{\"task_name\":\"a\",\"task_type\":\"STOP\"," + fixedIn(3600) + "}");
        String b = create(p, "{\"task_name\":\"b\",\"task_type\":\"STOP\"," + fixedIn(3600) + "}");
        String c = create(p, "{\"task_name\":\"c\",\"task_type\":\"STOP\"," + fixedIn(3600) + "}");
        Response unknown = post(p, "/scheduled-tasks/batch-delete", "{\"task_ids\":[\"" + a + "\",\"nope\"]}");
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals(3, get(p, "/scheduled-tasks").body().get("total_count").asInt());
        assertEquals(400, post(p, "/scheduled-tasks/batch-delete", "{\"task_ids\":[]}").status());
        assertEquals(200, post(p, "/scheduled-tasks/batch-delete", "{\"task_ids\":[\"" + a + "\",\"" + b + "\"]}")
                .status());
        JsonNode left = get(p, "/scheduled-tasks").body();
        assertEquals(1, left.get("total_count").asInt());
        assertEquals(c, left.get("scheduled_tasks").get(0).get("id").asText());
    }

    @Test
    void futureExecutionsListTheNextFires() {
        String p = "sched-future";
        Response r = post(p, "/scheduled-tasks/future-executions", "{\"scheduled_type\":\"MONTH\","
                + "\"month_list\":\"2\",\"date_list\":\"28,L\",\"scheduled_time\":\"12:00:00\","
                + "\"time_zone\":\"Europe/Paris\",\"expire_time\":\"2031-01-01 00:00:00\"}");
        assertEquals(200, r.status(), r.toString());
        JsonNode fires = r.body().get("future_executions");
        assertTrue(fires.size() > 0 && fires.size() <= 5, fires.toString());
        for (JsonNode fire : fires) {
            assertTrue(fire.asText().matches("\\d{4}-02-(28|29) 12:00:00"), fire.asText());
        }
        Response bad = post(p, "/scheduled-tasks/future-executions",
                "{\"scheduled_type\":\"WEEK\",\"week_list\":\"8\",\"scheduled_time\":\"12:00:00\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.body().get("error_msg").asText().startsWith("week_list"));
    }

    @Test
    void aFixedTimePowerTaskFiresOnceAndLeavesARecord() throws Exception {
        String p = "sched-fire";
        String pool = createPool(p, "fire-pool");
        String[] act = createActivation(p, pool, 2);
        try (TestAgent agent = new TestAgent(agentLink.port())) {
            RegisterResponse online = agent.register(p, act[0], act[1], pool, "online", Map.of());
            RegisterResponse offline = agent.register(p, act[0], act[1], pool, "offline", Map.of());
            TestAgent.Link link = agent.connect(online.getDesktopId(), online.getDesktopCredential());
            link.next(); // Welcome
            String id = create(p, "{\"task_name\":\"stop all\",\"task_type\":\"STOP\"," + fixedIn(2)
                    + ",\"apply_objects\":[{\"object_type\":\"DESKTOP_POOL\",\"object_id\":\"" + pool + "\"}]}");

            // Heartbeats as the real agent sends them: a silent stream counts as offline after 2 s in tests,
            // which is about when the fire comes.
            ControlMessage power = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (power == null && System.nanoTime() < deadline) {
                link.heartbeat();
                power = link.received.poll(200, TimeUnit.MILLISECONDS);
            }
            assertNotNull(power, "the STOP reached the online desktop");
            assertEquals(PowerActionType.POWER_ACTION_TYPE_STOP, power.getPower().getAction());

            await("the record", () -> "FAIL".equals(get(p, "/scheduled-tasks/" + id).body()
                    .get("last_status").asText(null)));
            JsonNode records = get(p, "/scheduled-tasks/" + id + "/records").body();
            assertEquals(1, records.get("total_count").asInt());
            JsonNode record = records.get("tasks_records").get(0);
            assertEquals(1, record.get("success_num").asInt());
            assertEquals(1, record.get("failed_num").asInt());
            assertEquals("STOP", record.get("task_type").asText());
            JsonNode details = get(p, "/scheduled-tasks/" + id + "/records/" + record.get("id").asText()).body();
            assertEquals(2, details.get("total_count").asInt());
            for (JsonNode d : details.get("tasks_records_details")) {
                boolean isOnline = d.get("desktop_id").asText().equals(online.getDesktopId());
                assertEquals(isOnline ? "SUCCESS" : "FAIL", d.get("exec_status").asText());
                assertEquals(isOnline ? "online" : "offline", d.get("desktop_name").asText());
                if (!isOnline) {
                    assertEquals("desktop offline", d.get("fail_reason").asText());
                }
            }
            assertTrue(get(p, "/scheduled-tasks/" + id).body().get("next_execution_time").isNull(),
                    "a FIXED_TIME task fires once");
            Thread.sleep(1500);
            assertEquals(1, get(p, "/scheduled-tasks/" + id + "/records").body().get("total_count").asInt());
            assertNull(link.received.poll(), "no second STOP");
            assertNotNull(offline);
        }
    }

    @Test
    void anAllDesktopsTaskReachesEveryDesktopOfItsProjectOnly() throws Exception {
        String p = "sched-all";
        String[] act = createActivation(p, createPool(p, "all-a"), 1);
        String[] act2 = createActivation(p, createPool(p, "all-b"), 1);
        String other = "sched-all-other";
        String[] otherAct = createActivation(other, createPool(other, "elsewhere"), 1);
        try (TestAgent agent = new TestAgent(agentLink.port())) {
            RegisterResponse a = agent.register(p, act[0], act[1], poolOf(p, "all-a"), "a", Map.of());
            RegisterResponse b = agent.register(p, act2[0], act2[1], poolOf(p, "all-b"), "b", Map.of());
            RegisterResponse x = agent.register(other, otherAct[0], otherAct[1], poolOf(other, "elsewhere"), "x",
                    Map.of());
            String id = create(p, "{\"task_name\":\"stop everything\",\"task_type\":\"STOP\"," + fixedIn(2)
                    + ",\"apply_objects\":[{\"object_type\":\"ALL_DESKTOPS\"}]}");
            await("the fire", () -> get(p, "/scheduled-tasks/" + id + "/records").body().get("total_count").asInt() == 1);
            await("its outcome", () -> get(p, "/scheduled-tasks/" + id).body().hasNonNull("last_status"));
            JsonNode record = get(p, "/scheduled-tasks/" + id + "/records").body().get("tasks_records").get(0);
            JsonNode details = get(p, "/scheduled-tasks/" + id + "/records/" + record.get("id").asText()).body();
            Set<String> reached = new HashSet<>();
            details.get("tasks_records_details").forEach(d -> reached.add(d.get("desktop_id").asText()));
            assertEquals(Set.of(a.getDesktopId(), b.getDesktopId()), reached,
                    "both pools of the project, not " + x.getDesktopId());
        }
    }

    private String poolOf(String projectId, String name) {
        for (JsonNode pool : get(projectId, "/desktop-pools").body().get("desktop_pools")) {
            if (pool.get("name").asText().equals(name)) {
                return pool.get("id").asText();
            }
        }
        throw new AssertionError("no pool " + name);
    }

    @Test
    void aFireMissedByMoreThanTheGraceIsRecordedAsSkippedAndNotRun() {
        String p = "sched-misfire";
        String id = create(p, "{\"task_name\":\"n\",\"task_type\":\"STOP\"," + fixedIn(3600)
                + ",\"apply_objects\":[{\"object_type\":\"ALL_DESKTOPS\"}]}");
        String next = get(p, "/scheduled-tasks/" + id).body().get("next_execution_time").asText();
        // As if the control plane had been down since a fire 10 minutes ago (grace: 5 minutes).
        database.query(c -> {
            try (var ps = c.prepareStatement("UPDATE scheduled_tasks SET next_fire_at = ? WHERE id = ?")) {
                ps.setObject(1, Database.toDb(Instant.now().minusSeconds(600)));
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
        await("the skip", () -> "SKIP".equals(get(p, "/scheduled-tasks/" + id).body()
                .get("last_status").asText(null)));
        JsonNode record = get(p, "/scheduled-tasks/" + id + "/records").body().get("tasks_records").get(0);
        assertEquals("SKIP", record.get("status").asText());
        assertEquals(next, get(p, "/scheduled-tasks/" + id).body().get("next_execution_time").asText(),
                "the real next fire is kept");
    }

    @Test
    void aSessionEndRunsTheDisconnectTaskAfterItsWaitTime() throws Exception {
        String p = "sched-disconnect";
        String pool = createPool(p, "disconnect-pool");
        String[] act = createActivation(p, pool, 1);
        String id = create(p, "{\"task_name\":\"reboot on logoff\",\"task_type\":\"REBOOT\","
                + "\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_DESKTOP_DISCONNECTED\","
                + "\"wait_time\":2,\"apply_objects\":[{\"object_type\":\"DESKTOP_POOL\",\"object_id\":\"" + pool + "\"}]}");
        try (TestAgent agent = new TestAgent(agentLink.port())) {
            RegisterResponse desktop = agent.register(p, act[0], act[1], pool, "d1", Map.of());
            TestAgent.Link link = agent.connect(desktop.getDesktopId(), desktop.getDesktopCredential());
            link.next(); // Welcome
            // wait_time equals the test's offline-after (2 s): without heartbeats the stream would be swept as silent
            // before the reboot is sent, as it was on a loaded machine.
            ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
            heartbeats.scheduleAtFixedRate(link::heartbeat, 0, 200, TimeUnit.MILLISECONDS);
            try {
                link.send(AgentMessage.newBuilder().setSessionEvent(SessionEvent.newBuilder()
                        .setType(SessionEventType.SESSION_EVENT_TYPE_USER_SESSION_ENDED)).build());
                assertNull(link.received.poll(1, TimeUnit.SECONDS), "nothing before wait_time");
                assertEquals(PowerActionType.POWER_ACTION_TYPE_REBOOT, link.next().getPower().getAction());
            } finally {
                heartbeats.shutdownNow();
            }
            await("the record", () -> "SUCCESS".equals(get(p, "/scheduled-tasks/" + id).body()
                    .get("last_status").asText(null)));
            JsonNode record = get(p, "/scheduled-tasks/" + id + "/records").body().get("tasks_records").get(0);
            assertEquals("POST_DESKTOP_DISCONNECTED", record.get("life_cycle_type").asText());
            assertEquals(1, record.get("success_num").asInt());
        }
    }

    /** What the task types refuse, byte for byte: each type now says it from its own package. */
    @Test
    void taskTypeRefusalsKeepTheirBodies() {
        String p = "sched-type-bodies";
        String[][] cases = {
                {"{\"task_name\":\"n\",\"task_type\":\"REBUILD\"," + fixedIn(3600) + "}",
                        "task_type: REBUILD is not supported; use START, STOP, REBOOT, HIBERNATE or EXECUTE_SCRIPT"},
                {"{\"task_name\":\"n\",\"task_type\":\"STOPP\"," + fixedIn(3600) + "}",
                        "task_type: must be one of START, STOP, REBOOT, HIBERNATE, EXECUTE_SCRIPT, got 'STOPP'"},
                {"{\"task_name\":\"n\",\"task_type\":\"START\",\"scheduled_type\":\"LIFE_CYCLE\","
                        + "\"life_cycle_type\":\"POST_DESKTOP_DISCONNECTED\"}",
                        "task_type: START is not allowed with scheduled_type LIFE_CYCLE"},
                {"{\"task_name\":\"n\",\"task_type\":\"EXECUTE_SCRIPT\"," + fixedIn(3600) + "}",
                        "extra_params: is required for EXECUTE_SCRIPT (script_ids or command_content)"},
        };
        for (String[] c : cases) {
            Response r = post(p, "/scheduled-tasks", c[0]);
            assertEquals(400, r.status(), c[0] + " -> " + r);
            assertEquals(JSON.createObjectNode().put("error_code", "WKS.00211102").put("error_msg", c[1])
                    .put("error_detail", c[1]).put("encoded_authorization_message", ""), r.body());
        }
        Response missing = get(p, "/scheduled-tasks/nope/records/nope");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("Scheduled task nope does not exist.", missing.body().get("error_msg").asText());
        assertEquals(0, get(p, "/scheduled-tasks").body().get("total_count").asInt(), "nothing stored");
    }

    @Test
    void aDueFireCanBeClaimedOnlyOnce() {
        String p = "sched-claim";
        String id = create(p, "{\"task_name\":\"n\",\"task_type\":\"STOP\"," + fixedIn(3600) + "}");
        ScheduledTask task = taskStore.require(p, id);
        Instant due = task.nextFireAt();
        // Two pollers that both read the same due fire: only the first conditional update wins.
        FireStore.NewRecord first = new FireStore.NewRecord("claim-1", task, due, Instant.now(), FireStatus.RUNNING);
        FireStore.NewRecord second = new FireStore.NewRecord("claim-2", task, due, Instant.now(), FireStatus.RUNNING);
        assertTrue(fireStore.claimClockFire(id, due, null, first));
        assertFalse(fireStore.claimClockFire(id, due, null, second));
        assertEquals(1, get(p, "/scheduled-tasks/" + id + "/records").body().get("total_count").asInt());
    }

    @Test
    void aRebuildRunsTheMatchingTriggeredTasksInPriorityOrder() throws Exception {
        String p = "sched-trigger";
        String pool = createPool(p, "trigger-pool");
        String[] act = createActivation(p, pool, 1);
        try (TestAgent agent = new TestAgent(agentLink.port())) {
            RegisterResponse desktop = agent.register(p, act[0], act[1], pool, "d1", Map.of("env", "prod"));
            TestAgent.Link link = agent.connect(desktop.getDesktopId(), desktop.getDesktopCredential());
            link.next(); // Welcome
            String lifeCycle = "\"scheduled_type\":\"LIFE_CYCLE\",\"life_cycle_type\":\"POST_REBUILD_DESKTOP_SUCCESS\"";
            String second = create(p, "{\"task_name\":\"reboot\",\"task_type\":\"REBOOT\"," + lifeCycle
                    + ",\"priority\":20,\"apply_objects\":[{\"object_type\":\"DESKTOP_TAG\",\"object_id\":\"env=prod\"}]}");
            String first = create(p, "{\"task_name\":\"hibernate\",\"task_type\":\"HIBERNATE\"," + lifeCycle
                    + ",\"priority\":3,\"apply_objects\":[{\"object_type\":\"DESKTOP\",\"object_id\":\""
                    + desktop.getDesktopId() + "\"}]}");
            String otherTag = create(p, "{\"task_name\":\"stop\",\"task_type\":\"STOP\"," + lifeCycle
                    + ",\"apply_objects\":[{\"object_type\":\"DESKTOP_TAG\",\"object_id\":\"env=dev\"}]}");
            String disabled = create(p, "{\"task_name\":\"off\",\"task_type\":\"STOP\"," + lifeCycle
                    + ",\"enable\":false,\"apply_objects\":[{\"object_type\":\"ALL_DESKTOPS\"}]}");

            Response rebuilt = post(p, "/desktops/" + desktop.getDesktopId() + "/rebuild", "{}");
            assertEquals(200, rebuilt.status(), rebuilt.toString());
            assertEquals(2, rebuilt.body().get("triggered_tasks").asInt());
            assertEquals(404, post(p, "/desktops/nope/rebuild", "{}").status());

            assertEquals(PowerActionType.POWER_ACTION_TYPE_HIBERNATE, link.next().getPower().getAction(), "priority 3 first");
            assertEquals(PowerActionType.POWER_ACTION_TYPE_REBOOT, link.next().getPower().getAction());
            await("both records", () -> "SUCCESS".equals(get(p, "/scheduled-tasks/" + second).body()
                    .get("last_status").asText(null)));
            assertEquals(1, get(p, "/scheduled-tasks/" + first + "/records").body().get("total_count").asInt());
            assertEquals(0, get(p, "/scheduled-tasks/" + otherTag + "/records").body().get("total_count").asInt());
            assertEquals(0, get(p, "/scheduled-tasks/" + disabled + "/records").body().get("total_count").asInt());
        }
    }
}
