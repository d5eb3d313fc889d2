package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.execution.ExecutionChangeListener;
import io.deskfleet.controlplane.execution.ExecutionChanges;
import io.deskfleet.controlplane.inventory.PresenceListener;
import io.deskfleet.controlplane.live.LiveEvents;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Carries the ids of every commit to the live event streams of the other replicas: a client following a task or a
 * project on one replica sees the changes written by any replica. Only ids cross ({@link LiveLines}), since
 * {@link LiveEvents} reads every event back from the shared database anyway.
 *
 * <p>The writers tell this class on their own threads and must not wait for the database, so the ids are merged
 * here and published by one thread of its own: a burst of commits becomes one publication, and what waits is
 * bounded by the distinct ids, not by the number of commits. A publication that fails is dropped (logged): the
 * other replicas' clients miss those events until the next change of the same task or a reconnect, whose snapshot
 * is read from the database.
 */
@Context
@Requires(property = "deskfleet.replica.id")
public class LiveRelay implements ExecutionChangeListener, PresenceListener {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);

    private final ClusterBus bus;
    private final String self;
    private final LiveEvents live;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "live-relay");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private Pending pending = new Pending();
    private boolean publishQueued;

    public LiveRelay(ClusterBus bus, Replica replica, LiveEvents live) {
        this.bus = bus;
        this.self = replica.id();
        this.live = live;
        bus.on(ClusterBus.LIVE, this::received);
    }

    @Override
    public void committed(ExecutionChanges changes) {
        synchronized (lock) {
            pending.records.addAll(changes.recordIds());
            pending.tasks.addAll(changes.taskIds());
            pending.finished.addAll(changes.finishedTaskIds());
            changes.closedDesktops().forEach((task, desktops) ->
                    pending.closed.computeIfAbsent(task, t -> new LinkedHashSet<>()).addAll(desktops));
            queuePublish();
        }
    }

    @Override
    public void onlineCommitted(Map<String, Boolean> online) {
        synchronized (lock) {
            // Later flushes win: the last committed flag is the one the database holds.
            pending.online.putAll(online);
            queuePublish();
        }
    }

    private void queuePublish() {
        if (publishQueued) {
            return;
        }
        publishQueued = true;
        try {
            publisher.execute(this::publish);
        } catch (RejectedExecutionException e) {
            // shutting down: nobody is left to tell
        }
    }

    private void publish() {
        Pending work;
        synchronized (lock) {
            work = pending;
            pending = new Pending();
            publishQueued = false;
        }
        ExecutionChanges changes = new ExecutionChanges(work.records, work.closed, work.tasks, work.finished);
        try {
            bus.publishAll(ClusterBus.LIVE, LiveLines.encode(self, changes, work.online));
        } catch (RuntimeException e) {
            LOG.warn("live changes not sent to the other replicas (their streams miss them until the next change): {}",
                    e.toString());
        }
    }

    /** On the bus's thread: decoding is skipped while nobody here follows anything, the usual case of a replica. */
    private void received(String payload) {
        if (!live.followsAnything()) {
            return;
        }
        LiveLines.Received received = LiveLines.decode(payload, self);
        if (received.hasChanges()) {
            live.committed(received.changes());
        }
        if (!received.online().isEmpty()) {
            live.onlineCommitted(received.online());
        }
    }

    @PreDestroy
    void close() {
        publisher.shutdownNow();
    }

    /** Ids committed since the last publication. */
    private static final class Pending {
        final Set<String> records = new LinkedHashSet<>();
        final Set<String> tasks = new LinkedHashSet<>();
        final Set<String> finished = new LinkedHashSet<>();
        final Map<String, Set<String>> closed = new LinkedHashMap<>();
        final Map<String, Boolean> online = new LinkedHashMap<>();
    }
}
