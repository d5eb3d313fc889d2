package io.deskfleet.controlplane.schedule.power;

import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.controlplane.inventory.PowerService;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The contract's power task types, one bean each; the only place they meet the proto's power actions. */
@Factory
class PowerTaskTypes {

    @Singleton
    @Named("START")
    PowerTaskType start(PowerService power, Clock clock) {
        return new PowerTaskType("START", PowerActionType.POWER_ACTION_TYPE_START, false, power, clock);
    }

    @Singleton
    @Named("STOP")
    PowerTaskType stop(PowerService power, Clock clock) {
        return new PowerTaskType("STOP", PowerActionType.POWER_ACTION_TYPE_STOP, true, power, clock);
    }

    @Singleton
    @Named("REBOOT")
    PowerTaskType reboot(PowerService power, Clock clock) {
        return new PowerTaskType("REBOOT", PowerActionType.POWER_ACTION_TYPE_REBOOT, true, power, clock);
    }

    @Singleton
    @Named("HIBERNATE")
    PowerTaskType hibernate(PowerService power, Clock clock) {
        return new PowerTaskType("HIBERNATE", PowerActionType.POWER_ACTION_TYPE_HIBERNATE, true, power, clock);
    }
}
