package io.deskfleet.controlplane.schedule;

import io.deskfleet.agent.v1.SessionEvent;
import io.deskfleet.agent.v1.SessionEventType;
import io.deskfleet.api.inventory.Desktop;
import io.deskfleet.api.inventory.DesktopTag;
import io.deskfleet.controlplane.agentlink.AgentEventListener;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.inventory.DesktopStore;
import io.deskfleet.scheduler.LifeCycleType;
import io.deskfleet.scheduler.trigger.LifeCycleEvent;
import io.deskfleet.scheduler.trigger.TriggerSelector;
import io.deskfleet.scheduler.trigger.TriggeredTask;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Turns desktop life-cycle events into persisted triggers (one per matching LIFE_CYCLE task, due at event time +
 * wait_time) that {@link SchedulePoller} fires. Agent events arrive on gRPC threads and are handed to one worker
 * thread through a bounded queue; the REST rebuild/reattach calls record theirs before answering.
 */
@Singleton
public class LifeCycleTriggers implements AgentEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(LifeCycleTriggers.class);
    private static final int QUEUE = 10_000;

    private final ScheduledTaskStore tasks;
    private final FireStore fires;
    private final DesktopStore desktops;
    private final Database db;
    private final Clock clock;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "life-cycle-triggers");
                t.setDaemon(true);
                return t;
            });

    public LifeCycleTriggers(ScheduledTaskStore tasks, FireStore fires, DesktopStore desktops, Database db,
                             Clock clock) {
        this.tasks = tasks;
        this.fires = fires;
        this.desktops = desktops;
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void onRegistered(String desktopId) {
        handOff(LifeCycleType.POST_CREATE_DESKTOP_SUCCESS, desktopId);
    }

    @Override
    public void onSessionEvent(String desktopId, SessionEvent event) {
        if (event.getType() == SessionEventType.SESSION_EVENT_TYPE_USER_SESSION_ENDED) {
            handOff(LifeCycleType.POST_DESKTOP_DISCONNECTED, desktopId);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    private void handOff(LifeCycleType type, String desktopId) {
        Instant at = clock.instant();
        try {
            worker.execute(() -> {
                try {
                    raise(type, desktopId, at);
                } catch (RuntimeException e) {
                    LOG.error("life-cycle event {} of desktop {} was not recorded", type, desktopId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Bounded on purpose: a flood of events must not exhaust memory; the drop is logged.
            LOG.error("life-cycle event {} of desktop {} dropped: queue full or shutting down", type, desktopId);
        }
    }

    /** Persists one trigger per enabled, unexpired task of this type whose apply objects cover the desktop. */
    public int raise(LifeCycleType type, String desktopId, Instant at) {
        Optional<String> projectId = projectOf(desktopId);
        if (projectId.isEmpty()) {
            return 0;
        }
        List<TriggeredTask> candidates = new ArrayList<>();
        for (ScheduledTask task : tasks.lifeCycleTasks(projectId.get(), type.name())) {
            if (!task.schedule().isExpiredAt(at)) {
                candidates.add(new TriggeredTask(task.id(), task.enabled(), type, task.priority(), task.waitTime(),
                        task.parsedApplyObjects()));
            }
        }
        // Usually none: a registration herd then costs two indexed reads per desktop, not the desktop's whole view.
        if (candidates.isEmpty()) {
            return 0;
        }
        Optional<Desktop> desktop = desktops.find(projectId.get(), desktopId);
        if (desktop.isEmpty()) {
            return 0;
        }
        Map<String, String> tags = new HashMap<>();
        for (DesktopTag tag : desktop.get().tags()) {
            tags.put(tag.key(), tag.value());
        }
        LifeCycleEvent event = new LifeCycleEvent(type, desktopId, desktop.get().desktopPoolId(), tags, at);
        List<FireStore.Trigger> triggers = TriggerSelector.select(event, candidates).stream()
                .map(f -> new FireStore.Trigger(UUID.randomUUID().toString(), f.task().id(), desktopId,
                        f.task().priority(), f.fireAt()))
                .toList();
        fires.insertTriggers(triggers);
        return triggers.size();
    }

    private Optional<String> projectOf(String desktopId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT project_id FROM desktops WHERE id = ?")) {
                ps.setString(1, desktopId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }
}
