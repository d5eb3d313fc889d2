package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.schedule.ApplyObjectBody;
import io.deskfleet.api.schedule.ScheduledTaskRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduledTaskRulesTest {
    private static final Instant NOW = Instant.parse("2026-05-10T08:00:00Z");
    private static final ScheduledTaskRules RULES = new ScheduledTaskRules(TestTaskTypes.all());

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
        return RULES.create("t1", "p", request("nightly", "STOP", "FIXED_TIME", "2026-05-10",
                "18:30:00", "Asia/Shanghai", null, null), NOW);
    }

    @Test
    void createComputesTheFirstFireInTheTaskZoneAndDefaults() {
        ScheduledTask task = fixedStop();
        assertEquals(Instant.parse("2026-05-10T10:30:00Z"), task.nextFireAt());
        assertEquals("STOP", task.type().name());
        assertTrue(task.enabled());
        assertEquals(1, task.priority());
        assertEquals(0, task.waitTime());
        assertEquals(NOW, task.scheduleAnchor());
    }

    @Test
    void partialModifyKeepsOtherFieldsAndRecomputesTheNextFire() {
        ScheduledTask stored = fixedStop();
        Instant later = NOW.plusSeconds(60);
        ScheduledTask daily = RULES.modify(stored, schedule("DAY", 2, "07:00:00", null, 7), later);
        assertEquals("nightly", daily.taskName());
        assertEquals("Asia/Shanghai", daily.spec().timeZone());
        assertEquals(7, daily.priority());
        assertEquals(later, daily.scheduleAnchor(), "a new schedule is re-anchored");
        // 07:00 Shanghai on the anchor day (10 May) has passed at 08:01Z; every 2 days from the anchor: 12 May.
        assertEquals(Instant.parse("2026-05-11T23:00:00Z"), daily.nextFireAt());

        ScheduledTask renamedOnly = RULES.modify(stored, new ScheduledTaskRequest("renamed", null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                false, null, null, null, null, null), later);
        assertEquals(stored.scheduleAnchor(), renamedOnly.scheduleAnchor(), "schedule untouched: same anchor");
        assertEquals(stored.nextFireAt(), renamedOnly.nextFireAt());
        assertFalse(renamedOnly.enabled());
    }

    @Test
    void refusalsNameTheField() {
        assertField("task_name", () -> RULES.create("t", "p",
                request(null, "STOP", "FIXED_TIME", "2026-06-01", "10:00:00", null, null, null), NOW));
        assertField("task_type", () -> RULES.create("t", "p",
                request("n", "SHUTDOWN", "FIXED_TIME", "2026-06-01", "10:00:00", null, null, null), NOW));
        assertField("task_type", () -> RULES.create("t", "p",
                request("n", "START", "LIFE_CYCLE", null, null, null, "POST_DESKTOP_DISCONNECTED", null), NOW));
        assertField("scheduled_date", () -> RULES.create("t", "p",
                request("n", "STOP", "FIXED_TIME", "2026-05-10", "07:59:59", null, null, null), NOW));
        assertField("time_zone", () -> RULES.create("t", "p",
                request("n", "STOP", "FIXED_TIME", "2026-06-01", "10:00:00", "Mars/Olympus", null, null), NOW));
        assertField("life_cycle_type", () -> RULES.create("t", "p",
                request("n", "STOP", "LIFE_CYCLE", null, null, null, null, null), NOW));
        assertField("extra_params", () -> RULES.create("t", "p",
                request("n", "STOP", "FIXED_TIME", "2026-06-01", "10:00:00", null, null, "{not json"), NOW));
        assertField("priority", () -> RULES.modify(fixedStop(), schedule(null, null, null, null, 51),
                NOW));
    }

    @Test
    void lifeCycleTasksHaveNoClockFire() {
        ScheduledTask task = RULES.create("t", "p", request("n", "REBOOT", "LIFE_CYCLE", null, null,
                null, "POST_CREATE_DESKTOP_SUCCESS", null), NOW);
        assertNull(task.nextFireAt());
    }

    @Test
    void applyObjectsAreReplacedOrCleared() {
        ScheduledTaskRequest withObjects = new ScheduledTaskRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(new ApplyObjectBody("env=prod", "DESKTOP_TAG")), null, null, null);
        ScheduledTask tagged = RULES.modify(fixedStop(), withObjects, NOW);
        assertEquals(1, tagged.parsedApplyObjects().size());
        ScheduledTaskRequest clear = new ScheduledTaskRequest(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, "CLEAR_ALL", null, null);
        assertTrue(RULES.modify(tagged, clear, NOW).applyObjects().isEmpty());
        ScheduledTaskRequest badObject = new ScheduledTaskRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(new ApplyObjectBody(null, "DESKTOP")), null, null, null);
        assertField("apply_objects[0].object_id", () -> RULES.modify(tagged, badObject, NOW));
    }

    @Test
    void theTaskTypeChecksItsOwnFieldsAndSchedules() {
        assertEquals("task_type: START is not allowed with scheduled_type LIFE_CYCLE",
                Refusals.assertInvalid("task_type", () -> RULES.create("t", "p", request("n", "START", "LIFE_CYCLE",
                        null, null, null, "POST_DESKTOP_DISCONNECTED", null), NOW)));
        ScheduledTask stop = RULES.create("t", "p", request("n", "STOP", "FIXED_TIME", "2026-06-01", "10:00:00",
                null, null, "{\"notify_message\":\"bye\"}"), NOW);
        assertEquals("{\"notify_message\":\"bye\"}", stop.extraParams(), "a power type keeps any JSON object");
        // Changing the type checks the stored extra_params against the new type's rules.
        assertEquals("extra_params: needs exactly one of script_ids and command_content",
                Refusals.assertInvalid("extra_params", () -> RULES.modify(stop, request(null, "EXECUTE_SCRIPT", null,
                        null, null, null, null, null), NOW)));
        ScheduledTask script = RULES.modify(stop, request(null, "EXECUTE_SCRIPT", null, null, null, null, null,
                "{\"script_ids\":[\"s1\"]}"), NOW);
        assertEquals("EXECUTE_SCRIPT", script.type().name());
        assertField("extra_params", () -> RULES.create("t", "p", request("n", "STOP", "FIXED_TIME", "2026-06-01",
                "10:00:00", null, null, "\"x\"".repeat(700)), NOW));
    }

    private static void assertField(String field, Runnable call) {
        Refusals.assertInvalid(field, call::run);
    }
}
