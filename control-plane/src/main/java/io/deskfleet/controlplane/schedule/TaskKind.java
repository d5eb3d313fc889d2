package io.deskfleet.controlplane.schedule;

import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.api.error.ApiException;

import java.util.Optional;

/** The contract's {@code task_type} values Deskfleet runs. */
public enum TaskKind {
    START(PowerActionType.START),
    STOP(PowerActionType.STOP),
    REBOOT(PowerActionType.REBOOT),
    HIBERNATE(PowerActionType.HIBERNATE),
    EXECUTE_SCRIPT(null);

    private final PowerActionType powerAction;

    TaskKind(PowerActionType powerAction) {
        this.powerAction = powerAction;
    }

    /** The power action a power task sends; empty for EXECUTE_SCRIPT. */
    public Optional<PowerActionType> powerAction() {
        return Optional.ofNullable(powerAction);
    }

    /** Case-sensitive, like scheduled_type; the contract's REBUILD and CREATE_SNAPSHOT have no meaning here. */
    public static TaskKind parse(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("task_type: is required");
        }
        if (value.equals("REBUILD") || value.equals("CREATE_SNAPSHOT")) {
            throw ApiException.invalid("task_type: " + value + " is not supported; use START, STOP, REBOOT,"
                    + " HIBERNATE or EXECUTE_SCRIPT");
        }
        for (TaskKind kind : values()) {
            if (kind.name().equals(value)) {
                return kind;
            }
        }
        throw ApiException.invalid("task_type: must be one of START, STOP, REBOOT, HIBERNATE, EXECUTE_SCRIPT, got '"
                + value + "'");
    }
}
