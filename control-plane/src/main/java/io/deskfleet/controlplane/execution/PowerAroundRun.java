package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.api.execution.PostFinish;
import io.deskfleet.api.execution.PreStart;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.deskfleet.controlplane.inventory.PowerActionMessage;

import java.util.concurrent.CompletableFuture;

/** A task's power actions around a desktop's run: pre_start before its first step, post_finish after its last. */
final class PowerAroundRun {
    private final AgentGateway gateway;

    PowerAroundRun(AgentGateway gateway) {
        this.gateway = gateway;
    }

    /** pre_start START wakes a desktop that was off when the task was created. */
    void beforeFirstStep(RunningTask running, String desktopId) {
        if (running.definition.preStart() == PreStart.START && running.targets.get(desktopId).isPoweredOff()) {
            // The stream is ordered, so the agent is running again before the command reaches it.
            gateway.send(desktopId, PowerActionMessage.of(PowerActionType.POWER_ACTION_TYPE_START).message());
        }
    }

    /** post_finish runs once the desktop's last result is stored, and only for a desktop that ran. */
    void afterDesktopFinished(RunningTask running, String desktopId, CompletableFuture<Void> stored) {
        PostFinish postFinish = running.definition.postFinish();
        RecordStatus status = running.progress.desktopStatus(desktopId);
        boolean ran = status == RecordStatus.SUCCESS || status == RecordStatus.FAILED || status == RecordStatus.TIMEOUT;
        if (postFinish == PostFinish.NONE || !ran) {
            return;
        }
        PowerActionType action = postFinish == PostFinish.STOP
                ? PowerActionType.POWER_ACTION_TYPE_STOP : PowerActionType.POWER_ACTION_TYPE_REBOOT;
        stored.thenRun(() -> gateway.send(desktopId, PowerActionMessage.of(action).message()));
    }
}
