package io.deskfleet.controlplane.schedule;

import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.controlplane.schedule.power.PowerTaskType;
import io.deskfleet.controlplane.schedule.script.ExecuteScriptType;

import java.util.List;

/**
 * The production task types for unit tests of validation, which never fire them: they are built without the
 * services a fire uses.
 */
public final class TestTaskTypes {
    private TestTaskTypes() {
    }

    public static TaskTypes all() {
        return new TaskTypes(List.of(new ExecuteScriptType(null),
                new PowerTaskType("HIBERNATE", PowerActionType.POWER_ACTION_TYPE_HIBERNATE, true, null, null),
                new PowerTaskType("REBOOT", PowerActionType.POWER_ACTION_TYPE_REBOOT, true, null, null),
                new PowerTaskType("STOP", PowerActionType.POWER_ACTION_TYPE_STOP, true, null, null),
                new PowerTaskType("START", PowerActionType.POWER_ACTION_TYPE_START, false, null, null)));
    }
}
