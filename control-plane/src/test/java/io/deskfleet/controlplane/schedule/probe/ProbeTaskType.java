package io.deskfleet.controlplane.schedule.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.controlplane.inventory.TargetDesktop;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.schedule.FireOutcome;
import io.deskfleet.controlplane.schedule.FireStatus;
import io.deskfleet.controlplane.schedule.ScheduledTask;
import io.deskfleet.controlplane.schedule.TaskType;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A task type added the way docs/architecture.md says, as one file in its own package and nothing else: PROBE
 * requires a text {@code label} in extra_params and, when it fires, notes "label@desktop" and succeeds on every
 * desktop. Only {@link NewTaskTypeTest} switches it on, so every other test sees the product's five types.
 */
@Singleton
@Requires(property = "deskfleet.test.probe-task-type", value = "true")
public class ProbeTaskType implements TaskType {
    final List<String> fired = new CopyOnWriteArrayList<>();
    private final Clock clock;

    public ProbeTaskType(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "PROBE";
    }

    @Override
    public void validate(JsonNode extraParams) {
        label(extraParams);
    }

    @Override
    public FireOutcome fire(ScheduledTask task, List<TargetDesktop> desktops) {
        String label = label(task.parsedExtraParams());
        return FireOutcome.perDesktop(desktops.stream().map(d -> {
            fired.add(label + "@" + d.id());
            return new FireOutcome.DesktopOutcome(d.id(), d.name(), FireStatus.SUCCESS, null, null, clock.instant());
        }).toList());
    }

    private static String label(JsonNode extraParams) {
        JsonNode label = extraParams == null ? null : extraParams.get("label");
        if (label == null || !label.isTextual()) {
            throw Refusal.invalid("extra_params: label (text) is required for PROBE").asException();
        }
        return label.asText();
    }
}
