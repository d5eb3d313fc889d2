package io.deskfleet.controlplane.execution;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecordKeysTest {

    @Test
    void aTaskNumbersItsRecordsInPlanOrderWithADesktopsStepsNextToEachOther() {
        RolloutPlan plan = new RolloutPlan(3, 1, List.of(
                new RolloutPlan.Batch(ExecuteOrder.GRAY, List.of("d-9")),
                new RolloutPlan.Batch(ExecuteOrder.NON_GRAY, List.of("d-1", "d-5"))));
        RecordKeys keys = RecordKeys.assign(100, plan, 2);

        assertEquals(100, keys.of("d-9", 0));
        assertEquals(101, keys.of("d-9", 1));
        assertEquals(102, keys.of("d-1", 0));
        assertEquals(103, keys.of("d-1", 1));
        assertEquals(104, keys.of("d-5", 0));
        assertEquals(105, keys.of("d-5", 1));
    }

    @Test
    void storedNumbersGiveTheSameKeysAsAtCreation() {
        RecordKeys keys = RecordKeys.stored(Map.of("d-1", 7L, "d-2", 9L));

        assertEquals(8, keys.of("d-1", 1));
        assertEquals(9, keys.of("d-2", 0));
    }

    @Test
    void aDesktopOutsideTheTaskHasNoNumber() {
        RecordKeys keys = RecordKeys.stored(Map.of("d-1", 7L));

        assertThrows(IllegalArgumentException.class, () -> keys.of("d-2", 0));
    }
}
