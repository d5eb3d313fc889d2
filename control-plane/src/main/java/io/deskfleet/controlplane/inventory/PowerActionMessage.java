package io.deskfleet.controlplane.inventory;

import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.PowerAction;
import io.deskfleet.agent.v1.PowerActionType;

import java.util.UUID;

/**
 * A power action for one desktop's agent, under a new action id. The one place a {@link PowerAction} message is
 * built: for the REST API and schedules ({@link PowerService}) and for a task's pre_start and post_finish (the
 * rollout engine), so all of them send the same message.
 */
public record PowerActionMessage(String actionId, ControlMessage message) {

    public static PowerActionMessage of(PowerActionType action) {
        String actionId = UUID.randomUUID().toString();
        return new PowerActionMessage(actionId, ControlMessage.newBuilder()
                .setPower(PowerAction.newBuilder().setActionId(actionId).setAction(action))
                .build());
    }
}
