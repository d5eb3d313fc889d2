package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TaskTypesTest {

    /** A type as a new package would add it; it has no fields of its own and never fires here. */
    private record Named(String name) implements TaskType {
        @Override
        public void validate(JsonNode extraParams) {
        }

        @Override
        public FireOutcome fire(ScheduledTask task, List<TargetDesktop> desktops) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theTypesAreListedInTheContractsOrderWhateverTheBeanOrder() {
        assertEquals(List.of("START", "STOP", "REBOOT", "HIBERNATE", "EXECUTE_SCRIPT"), TestTaskTypes.all().names());
    }

    @Test
    void refusalsNameTheTypesAsBefore() {
        TaskTypes types = TestTaskTypes.all();
        assertEquals("task_type: is required", Refusals.assertInvalid("task_type", () -> types.parse(" ")));
        assertEquals("task_type: REBUILD is not supported; use START, STOP, REBOOT, HIBERNATE or EXECUTE_SCRIPT",
                Refusals.assertInvalid("task_type", () -> types.parse("REBUILD")));
        assertEquals("task_type: CREATE_SNAPSHOT is not supported; use START, STOP, REBOOT, HIBERNATE or"
                + " EXECUTE_SCRIPT", Refusals.assertInvalid("task_type", () -> types.parse("CREATE_SNAPSHOT")));
        assertEquals("task_type: must be one of START, STOP, REBOOT, HIBERNATE, EXECUTE_SCRIPT, got 'stop'",
                Refusals.assertInvalid("task_type", () -> types.parse("stop")));
    }

    @Test
    void aNewTypeIsFoundByItsNameAndNamedInRefusals() {
        List<TaskType> beans = new ArrayList<>(List.of(new Named("WIPE")));
        TaskType rebuild = new Named("REBUILD");
        beans.add(rebuild);
        beans.add(new Named("STOP"));
        TaskTypes types = new TaskTypes(beans);
        assertSame(rebuild, types.parse("REBUILD"), "a contract value becomes supported by its bean alone");
        assertEquals(List.of("STOP", "REBUILD", "WIPE"), types.names(), "contract order, then by name");
        assertEquals("task_type: must be one of STOP, REBUILD, WIPE, got 'X'",
                Refusals.assertInvalid("task_type", () -> types.parse("X")));
    }

    @Test
    void clashingOrOverlongNamesAndAStoredNameWithoutATypeAreFaults() {
        assertThrows(IllegalStateException.class, () -> new TaskTypes(List.of(new Named("A"), new Named("A"))));
        assertThrows(IllegalStateException.class, () -> new TaskTypes(List.of(new Named("X".repeat(33)))),
                "longer than the task_type columns");
        assertThrows(IllegalStateException.class, () -> TestTaskTypes.all().stored("REBUILD"));
    }
}
