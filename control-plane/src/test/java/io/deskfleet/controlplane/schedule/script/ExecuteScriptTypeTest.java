package io.deskfleet.controlplane.schedule.script;

import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.schedule.ScheduledTaskRequest;
import io.deskfleet.controlplane.schedule.ScheduledTask;
import io.deskfleet.controlplane.schedule.ScheduledTaskRules;
import io.deskfleet.controlplane.schedule.TestTaskTypes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ExecuteScriptTypeTest {
    private static final Instant NOW = Instant.parse("2026-05-10T08:00:00Z");
    private static final ScheduledTaskRules RULES = new ScheduledTaskRules(TestTaskTypes.all());

    @Test
    void grayOnlyWhenIsGray() {
        ScheduledTask off = RULES.create("t", "p", new ScheduledTaskRequest("n", "EXECUTE_SCRIPT", "FIXED_TIME",
                null, null, null, null, "2026-06-01", "10:00:00", null, null, null, 2, List.of("d1"), 1, false, null,
                null, null, "{\"command_content\":\"true\",\"command_type\":\"SHELL\"}", null, null, null, null), NOW);
        assertInstanceOf(GraySpec.None.class, ExecuteScriptType.gray(off));
        ScheduledTask on = RULES.modify(off, new ScheduledTaskRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, true, null, null, null, null, null, null, null, null), NOW);
        assertEquals(new GraySpec.Count(2, 1), ExecuteScriptType.gray(on));
        ScheduledTask byIds = RULES.modify(on, new ScheduledTaskRequest(null, null, null, null, null, null, null,
                null, null, null, null, null, 0, null, 3, null, null, null, null, null, null, null, null, null), NOW);
        assertEquals(new GraySpec.Desktops("gray_desktop_ids", List.of("d1"), 3), ExecuteScriptType.gray(byIds));
    }
}
