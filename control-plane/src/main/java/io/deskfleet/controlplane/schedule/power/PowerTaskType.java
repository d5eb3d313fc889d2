package io.deskfleet.controlplane.schedule.power;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.controlplane.inventory.PowerService;
import io.deskfleet.controlplane.schedule.FireOutcome;
import io.deskfleet.controlplane.schedule.FireStatus;
import io.deskfleet.controlplane.schedule.ScheduledTask;
import io.deskfleet.controlplane.schedule.TaskType;
import io.deskfleet.scheduler.ScheduledType;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A power task type: a fire sends one power action to each desktop's agent, and the desktop fails when its agent is
 * offline. extra_params is free (any JSON object, kept and shown as sent). The four types are made by
 * {@link PowerTaskTypes}.
 */
public final class PowerTaskType implements TaskType {
    private final String name;
    private final PowerActionType action;
    private final boolean onLifeCycle;
    private final PowerService power;
    private final Clock clock;

    /**
     * @param onLifeCycle whether a LIFE_CYCLE task may have this type (the contract forbids START there: the events
     *                    all concern a desktop that is running)
     */
    public PowerTaskType(String name, PowerActionType action, boolean onLifeCycle, PowerService power, Clock clock) {
        this.name = name;
        this.action = action;
        this.onLifeCycle = onLifeCycle;
        this.power = power;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean allows(ScheduledType scheduledType) {
        return onLifeCycle || scheduledType != ScheduledType.LIFE_CYCLE;
    }

    @Override
    public void validate(JsonNode extraParams) {
        // nothing of its own: a power action takes no parameters
    }

    @Override
    public FireOutcome fire(ScheduledTask task, List<TargetDesktop> desktops) {
        List<FireOutcome.DesktopOutcome> outcomes = new ArrayList<>(desktops.size());
        for (TargetDesktop desktop : desktops) {
            boolean sent = power.send(desktop.id(), action).isPresent();
            outcomes.add(new FireOutcome.DesktopOutcome(desktop.id(), desktop.name(),
                    sent ? FireStatus.SUCCESS : FireStatus.FAIL, sent ? null : "DESKTOP_OFFLINE",
                    sent ? null : "desktop offline", clock.instant()));
        }
        return FireOutcome.perDesktop(outcomes);
    }
}
