package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.schedule.ApplyObjectBody;
import io.deskfleet.api.schedule.ScheduledTaskRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduledTaskRulesTest {
    private static final Instant NOW = Instant.parse("2026-05-10T08:00:00Z");

    private static ScheduledTaskRequest request(String name, String type, String scheduledType, String date,
                                                String time, String zone, String lifeCycle, String extra) {
        return new ScheduledTaskRequest(name, type, scheduledType, null, null, null, null, date, time, null,
                lifeCycle, zone, null, null, null, null, null, null, null, extra, null, null, null, null);
    }

    private static ScheduledTaskRequest schedule(String scheduledType, Integer dayInterval, String time,
                                                 Boolean enable, Integer priority) {
        return new ScheduledTaskRequest(null, null, scheduledType, dayInterval, null, null, null, null, time, null,
                null, null, null, null, null, null, null, null, enable, null, null, null, priority, null);
    }

    private static ScheduledTask fixedStop() {
        return ScheduledTaskRules.create("t1", "p", request("nightly", "STOP", "FIXED_TIME", "2026-05-10",
                "18:30:00", "Asia/Shanghai", null, null), NOW);
    }

    @Test
    void createComputesTheFirstFireInTheTaskZoneAndDefaults() {
        ScheduledTask task = fixedStop();
        assertEquals(Instant.parse("2026-05-10T10:30:00Z"), task.nextFireAt());
        assertEquals(TaskKind.STOP, task.taskKind());
        assertTrue(task.enabled());
        assertEquals(1, task.priority());
        assertEquals(0, task.waitTime());
        assertEquals(NOW, task.scheduleAnchor());
    }

    @Test
    void partialModifyKeepsOtherFieldsAndRecomputesTheNextFire() {
        ScheduledTask stored = fixedStop();
        Instant later = NOW.plusSeconds(60);
        ScheduledTask daily = ScheduledTaskRules.modify(stored, schedule("DAY", 2, "07:00:00", null, 7), later);
        assertEquals("nightly", daily.taskName());
        assertEquals("Asia/Shanghai", daily.spec().timeZone());
        assertEquals(7, daily.priority());
        assertEquals(later, daily.scheduleAnchor(), "a new schedule is re-anchored");
        // 07:00 Shanghai on the anchor day (10 May) has passed at 08:01Z; every 2 days from the anchor: 12 May.
        assertEquals(Instant.parse("2026-05-11T23:00:00Z"), daily.nextFireAt());

        ScheduledTask renamedOnly = ScheduledTaskRules.modify(stored, new ScheduledTaskRequest("renamed", null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                false, null, null, null, null, null), later);
        assertEquals(stored.scheduleAnchor(), renamedOnly.scheduleAnchor(), "schedule untouched: same anchor");
        assertEquals(stored.nextFireAt(), renamedOnly.nextFireAt());
        assertFalse(renamedOnly.enabled());
    }

    @Test
    void refusalsNameTheField() {
        assertField("task_name", () -> ScheduledTaskRules.create("t", "p",
                request(null, "STOP", "FIXED_TIME", "2026-06-01", "10:00:00", null, null, null), NOW));
        assertField("task_type", () -> ScheduledTaskRules.create("t", "p",
                request("n", "SHUTDOWN", "FIXED_TIME", "2026-06-01", "10:00:00", null, null, null), NOW));
        assertField("task_type", () -> ScheduledTaskRules.create("t", "p",
                request("n", "START", "LIFE_CYCLE", null, null, null, "POST_DESKTOP_DISCONNECTED", null), NOW));
        assertField("scheduled_date", () -> ScheduledTaskRules.create("t", "p",
                request("n", "STOP", "FIXED_TIME", "2026-05-10", "07:59:59", null, null, null), NOW));
        assertField("time_zone", () -> ScheduledTaskRules.create("t", "p",
                request("n", "STOP", "FIXED_TIME", "2026-06-01", "10:00:00", "Mars/Olympus", null, null), NOW));
        assertField("life_cycle_type", () -> ScheduledTaskRules.create("t", "p",
                request("n", "STOP", "LIFE_CYCLE", null, null, null, null, null), NOW));
        assertField("extra_params", () -> ScheduledTaskRules.create("t", "p",
                request("n", "STOP", "FIXED_TIME", "2026-06-01", "10:00:00", null, null, "{not json"), NOW));
        assertField("priority", () -> ScheduledTaskRules.modify(fixedStop(), schedule(null, null, null, null, 51),
                NOW));
    }

    @Test
    void lifeCycleTasksHaveNoClockFire() {
        ScheduledTask task = ScheduledTaskRules.create("t", "p", request("n", "REBOOT", "LIFE_CYCLE", null, null,
                null, "POST_CREATE_DESKTOP_SUCCESS", null), NOW);
        assertNull(task.nextFireAt());
    }

    @Test
    void applyObjectsAreReplacedOrCleared() {
        ScheduledTaskRequest withObjects = new ScheduledTaskRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(new ApplyObjectBody("env=prod", "DESKTOP_TAG")), null, null, null);
        ScheduledTask tagged = ScheduledTaskRules.modify(fixedStop(), withObjects, NOW);
        assertEquals(1, tagged.parsedApplyObjects().size());
        ScheduledTaskRequest clear = new ScheduledTaskRequest(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, "CLEAR_ALL", null, null);
        assertTrue(ScheduledTaskRules.modify(tagged, clear, NOW).applyObjects().isEmpty());
        ScheduledTaskRequest badObject = new ScheduledTaskRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(new ApplyObjectBody(null, "DESKTOP")), null, null, null);
        assertField("apply_objects[0].object_id", () -> ScheduledTaskRules.modify(tagged, badObject, NOW));
    }

    @Test
    void scriptActionsComeFromExtraParams() {
        ScriptAction scripts = ScriptAction.validate(TaskKind.EXECUTE_SCRIPT,
                "{\"script_ids\":[\"s1\",\"s2\"],\"execution_timeout\":5}");
        assertEquals(List.of("s1", "s2"), ((ExecutionPayload.Scripts) scripts.payload()).scriptIds());
        assertEquals(5, scripts.executionTimeoutMinutes());
        ScriptAction command = ScriptAction.validate(TaskKind.EXECUTE_SCRIPT,
                "{\"command_content\":\"echo hi\",\"command_type\":\"SHELL\"}");
        assertEquals("echo hi", ((ExecutionPayload.Command) command.payload()).content());
        assertEquals(1, command.executionTimeoutMinutes());
        assertNull(ScriptAction.validate(TaskKind.STOP, "{\"notify_message\":\"bye\"}"));

        for (String bad : new String[]{null, "[]", "{}", "{\"script_ids\":[]}",
                "{\"script_ids\":[\"a\"],\"command_content\":\"x\",\"command_type\":\"SHELL\"}",
                "{\"command_content\":\"x\"}", "{\"script_ids\":[\"a\"],\"execution_timeout\":601}",
                "{\"script_ids\":[1]}"}) {
            assertField("extra_params", () -> ScriptAction.validate(TaskKind.EXECUTE_SCRIPT, bad));
        }
        assertField("extra_params", () -> ScriptAction.validate(TaskKind.STOP, "\"x\"".repeat(700)));
    }

    @Test
    void grayOnlyWhenIsGray() {
        ScheduledTaskRequest gray = new ScheduledTaskRequest(null, "EXECUTE_SCRIPT", null, null, null, null, null,
                null, null, null, null, null, 2, List.of("d1"), 1, false, null, null, null,
                "{\"command_content\":\"true\",\"command_type\":\"SHELL\"}", null, null, null, null);
        ScheduledTask off = ScheduledTaskRules.modify(fixedStop(), gray, NOW);
        assertInstanceOf(GraySpec.None.class, FireDispatcher.gray(off));
        ScheduledTask on = ScheduledTaskRules.modify(off, new ScheduledTaskRequest(null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, true, null, null, null, null, null, null,
                null, null), NOW);
        assertEquals(new GraySpec.Count(2, 1), FireDispatcher.gray(on));
    }

    private static void assertField(String field, Runnable call) {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
