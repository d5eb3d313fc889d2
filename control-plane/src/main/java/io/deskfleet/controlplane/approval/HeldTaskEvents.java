package io.deskfleet.controlplane.approval;

import io.deskfleet.controlplane.execution.ExecutionChangeListener;
import io.deskfleet.controlplane.execution.ExecutionChanges;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells the execution change listeners (the live event streams) about a held task's state, which changes outside
 * the rollout engine's writes: held (WAITING), or ended by a rejection or an expiry (CANCELLED). Without it a
 * console would see a held task only once it runs. An approval needs nothing here: the engine's writes follow.
 */
@Singleton
public class HeldTaskEvents {
    private static final Logger LOG = LoggerFactory.getLogger(HeldTaskEvents.class);

    private final List<ExecutionChangeListener> listeners;

    public HeldTaskEvents(List<ExecutionChangeListener> listeners) {
        this.listeners = listeners;
    }

    /** Call after the change is committed. */
    void changed(String taskId, boolean ended) {
        ExecutionChanges changes = new ExecutionChanges(Set.of(), Map.of(), Set.of(taskId),
                ended ? Set.of(taskId) : Set.of());
        for (ExecutionChangeListener listener : listeners) {
            try {
                listener.committed(changes);
            } catch (RuntimeException e) {
                LOG.error("execution change listener failed", e);
            }
        }
    }
}
