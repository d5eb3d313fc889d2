package io.deskfleet.scheduler.trigger;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Chooses which triggered tasks a desktop life-cycle event runs. */
public final class TriggerSelector {
    /** Priority 1 first; equal priorities by task id so that the order never depends on the candidates' order. */
    private static final Comparator<TriggeredTask> ORDER =
            Comparator.comparingInt(TriggeredTask::priority).thenComparing(TriggeredTask::id);

    private TriggerSelector() {
    }

    /**
     * The enabled candidates whose life_cycle_type is the event's and one of whose apply objects covers the event's
     * desktop, in priority order, each once however many of its objects match.
     */
    public static List<TriggeredFire> select(LifeCycleEvent event, Collection<TriggeredTask> candidates) {
        return candidates.stream()
                .filter(TriggeredTask::enabled)
                .filter(task -> task.lifeCycleType() == event.type())
                .filter(task -> task.applyObjects().stream().anyMatch(object -> object.covers(event)))
                .sorted(ORDER)
                .map(task -> new TriggeredFire(task, event.occurredAt().plusSeconds(task.waitTimeSeconds())))
                .toList();
    }
}
