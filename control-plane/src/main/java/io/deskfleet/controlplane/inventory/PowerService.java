package io.deskfleet.controlplane.inventory;

import io.deskfleet.agent.v1.PowerAction;
import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.api.inventory.PowerActionRequest.Operation;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.deskfleet.controlplane.refusal.Refusal;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Power actions on desktops, sent to their agents as {@link PowerAction}. The resulting status change arrives later
 * as PowerStateChanged.
 */
@Singleton
public class PowerService {
    private final DesktopStore desktops;
    private final AgentGateway gateway;

    public PowerService(DesktopStore desktops, AgentGateway gateway) {
        this.desktops = desktops;
        this.gateway = gateway;
    }

    /**
     * All or nothing, for the REST API: every desktop must exist in the project and be connected.
     *
     * @return action id per desktop id
     * @throws io.deskfleet.controlplane.refusal.Refused not found naming unknown desktops, invalid state naming
     *                                                   offline ones
     */
    public Map<String, String> apply(String projectId, List<String> desktopIds, Operation operation) {
        Set<String> existing = desktops.existing(projectId, desktopIds);
        List<String> unknown = desktopIds.stream().filter(id -> !existing.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw Refusal.notFound("Desktops do not exist: " + String.join(", ", unknown)).asException();
        }
        List<String> offline = desktopIds.stream().filter(id -> !gateway.isConnected(id)).toList();
        if (!offline.isEmpty()) {
            throw Refusal.invalidState("Desktops are offline: " + String.join(", ", offline)).asException();
        }
        Map<String, String> actionIds = new LinkedHashMap<>();
        List<String> lost = new ArrayList<>();
        for (String id : desktopIds) {
            send(id, toProto(operation)).ifPresentOrElse(a -> actionIds.put(id, a), () -> lost.add(id));
        }
        if (!lost.isEmpty()) {
            // A stream ended between the check and the send; the others already got their action.
            throw Refusal.invalidState("Desktops went offline before the action was sent: "
                    + String.join(", ", lost)).asException();
        }
        return actionIds;
    }

    /** One action for one desktop, for schedules: the action id, or empty when the desktop has no live stream. */
    public Optional<String> send(String desktopId, PowerActionType action) {
        PowerActionMessage power = PowerActionMessage.of(action);
        return gateway.send(desktopId, power.message()) ? Optional.of(power.actionId()) : Optional.empty();
    }

    public static PowerActionType toProto(Operation operation) {
        return switch (operation) {
            case START -> PowerActionType.POWER_ACTION_TYPE_START;
            case STOP -> PowerActionType.POWER_ACTION_TYPE_STOP;
            case REBOOT -> PowerActionType.POWER_ACTION_TYPE_REBOOT;
            case HIBERNATE -> PowerActionType.POWER_ACTION_TYPE_HIBERNATE;
        };
    }
}
