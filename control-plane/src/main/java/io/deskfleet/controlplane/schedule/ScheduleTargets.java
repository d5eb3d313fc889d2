package io.deskfleet.controlplane.schedule;

import io.deskfleet.api.execution.ExecutionTarget;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.controlplane.inventory.TargetResolver;
import io.deskfleet.scheduler.trigger.ApplyObject;
import io.deskfleet.scheduler.trigger.ApplyObjectType;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves a task's apply objects to desktops when it fires, so desktops created since the task was saved are
 * included. Revoked desktops are left out.
 */
@Singleton
public class ScheduleTargets {
    private final TargetResolver desktops;

    public ScheduleTargets(TargetResolver desktops) {
        this.desktops = desktops;
    }

    /** The union of the objects' desktops, by id. */
    public List<TargetDesktop> resolve(String projectId, List<ApplyObject> objects) {
        Map<String, TargetDesktop> byId = new TreeMap<>();
        List<String> desktopIds = new ArrayList<>();
        for (ApplyObject object : objects) {
            if (object.type() == ApplyObjectType.ALL_DESKTOPS) {
                return desktops.allDesktops(projectId);
            }
        }
        for (ApplyObject object : objects) {
            ExecutionTarget target = switch (object.type()) {
                case DESKTOP -> {
                    desktopIds.add(object.objectId());
                    yield null;
                }
                case DESKTOP_POOL -> new ExecutionTarget.Pool(object.objectId(), List.of());
                case DESKTOP_TAG -> {
                    int separator = object.objectId().indexOf('=');
                    yield new ExecutionTarget.Tag(object.objectId().substring(0, separator),
                            object.objectId().substring(separator + 1));
                }
                case ALL_DESKTOPS -> throw new IllegalStateException("handled above");
            };
            if (target != null) {
                desktops.resolve(projectId, target).forEach(d -> byId.put(d.id(), d));
            }
        }
        if (!desktopIds.isEmpty()) {
            desktops.resolve(projectId, new ExecutionTarget.Desktops(desktopIds.stream().distinct().toList()))
                    .forEach(d -> byId.put(d.id(), d));
        }
        return List.copyOf(byId.values());
    }

    /** One desktop (the one that raised a life-cycle event), if it still exists and is not revoked. */
    public List<TargetDesktop> desktop(String projectId, String desktopId) {
        return desktops.resolve(projectId, new ExecutionTarget.Desktops(List.of(desktopId)));
    }
}
