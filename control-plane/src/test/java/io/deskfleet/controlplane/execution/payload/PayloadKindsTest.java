package io.deskfleet.controlplane.execution.payload;

import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.execution.TaskStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadKindsTest {
    /** Stored scripts are not read by these tests: the scripts kind's lookup is covered over REST. */
    private final PayloadKinds kinds = new PayloadKinds(List.of(new CommandPayload(), new ScriptsPayload(null)));

    @Test
    void aPayloadWithoutItsKindStopsTheStartNotARequest() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PayloadKinds(List.of(new CommandPayload())));
        assertTrue(e.getMessage().contains(ExecutionPayload.Scripts.class.getName()), e.getMessage());
    }

    @Test
    void aCommandIsOneStepWithoutAScript() {
        List<TaskStep> steps = kinds.steps("p", new ExecutionPayload.Command(ScriptType.SHELL, "echo hi"));
        assertEquals(List.of(new TaskStep(0, null, null, ScriptType.SHELL, "echo hi")), steps);
    }

    @Test
    void aListingShowsACommandTaskByItsCommandAndAScriptTaskByItsScripts() {
        TaskStep command = new TaskStep(0, null, null, ScriptType.SHELL, "echo hi");
        PayloadKind.Shown shownCommand = kinds.shown(TaskType.COMMAND, List.of(command));
        assertEquals(command, shownCommand.command());
        assertNull(shownCommand.scripts());

        List<TaskStep> scripts = List.of(new TaskStep(0, "s1", "one", ScriptType.SHELL, "true"),
                new TaskStep(1, "s2", "two", ScriptType.SHELL, "false"));
        PayloadKind.Shown shownScripts = kinds.shown(TaskType.SCRIPT, scripts);
        assertEquals(scripts, shownScripts.scripts());
        assertNull(shownScripts.command());
    }
}
