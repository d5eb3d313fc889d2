package io.deskfleet.controlplane.execution;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes execution changes in batches: whatever accumulated while the previous batch was being written goes out in
 * one transaction (group commit), so 10,000 results cost a handful of commits, and an idle system writes at once.
 * A failed write is retried until it succeeds: a result is acknowledged to the agent only after its batch commits,
 * so nothing acknowledged is ever lost, and nothing is dropped while the database is unreachable.
 */
@Context
public class RecordWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);
    private static final int MAX_BATCH = 20_000;

    private final ExecutionStore store;
    private final ExecutionMetrics metrics;
    private final List<ExecutionChangeListener> listeners;
    private final Thread flusher;
    private final Object lock = new Object();
    private List<RecordChange> pending = new ArrayList<>();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean closed;
    /** True while a batch is being written: a barrier must then wait for it. */
    private boolean busy;

    public RecordWriter(ExecutionStore store, ExecutionMetrics metrics, List<ExecutionChangeListener> listeners) {
        this.store = store;
        this.metrics = metrics;
        this.listeners = List.copyOf(listeners);
        this.flusher = new Thread(this::run, "execution-writer");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    void submit(RecordChange change) {
        synchronized (lock) {
            pending.add(change);
            lock.notifyAll();
        }
    }

    /** Completes once every change submitted before this call is committed. */
    CompletableFuture<Void> barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (pending.isEmpty() && waiting.isEmpty() && !busy) {
                done.complete(null);
                return done;
            }
            waiting.add(done);
            lock.notifyAll();
        }
        return done;
    }

    private void run() {
        while (true) {
            List<RecordChange> batch;
            List<CompletableFuture<Void>> done;
            synchronized (lock) {
                while (pending.isEmpty() && waiting.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.isEmpty() && waiting.isEmpty()) {
                    return;
                }
                if (pending.size() > MAX_BATCH) {
                    batch = new ArrayList<>(pending.subList(0, MAX_BATCH));
                    pending = new ArrayList<>(pending.subList(MAX_BATCH, pending.size()));
                    done = List.of();
                } else {
                    batch = pending;
                    done = waiting;
                    pending = new ArrayList<>();
                    waiting = new ArrayList<>();
                }
                busy = true;
            }
            List<RecordChange> written = coalesce(batch);
            ExecutionStore.Applied applied = writeUntilCommitted(written);
            tell(written, applied);
            synchronized (lock) {
                busy = false;
            }
            done.forEach(f -> f.complete(null));
        }
    }

    /**
     * Only the last state of each task matters; record changes keep their order. A start whose record also finishes
     * in this batch with a start time is dropped: the finish sets that start time (the agent reports it with the
     * result) and the final status, so the outcome row is inserted whole instead of inserted as RUNNING and then
     * updated, which on a fast fleet halves the record writes.
     */
    static List<RecordChange> coalesce(List<RecordChange> batch) {
        Set<String> finished = new HashSet<>();
        for (RecordChange change : batch) {
            if (change instanceof RecordChange.Finished f && f.startTime() != null) {
                finished.add(f.recordId());
            }
        }
        List<RecordChange> records = new ArrayList<>(batch.size());
        Map<String, RecordChange.TaskState> tasks = new LinkedHashMap<>();
        for (RecordChange change : batch) {
            if (change instanceof RecordChange.Started s && finished.contains(s.recordId())) {
                continue;
            }
            if (change instanceof RecordChange.TaskState state) {
                RecordChange.TaskState previous = tasks.get(state.taskId());
                // an end time, once set, survives a later state of the same batch
                if (previous != null && state.endTime() == null && previous.endTime() != null) {
                    state = new RecordChange.TaskState(state.taskId(), state.status(), state.counts(),
                            previous.endTime());
                }
                tasks.put(state.taskId(), state);
            } else {
                records.add(change);
            }
        }
        records.addAll(tasks.values());
        return records;
    }

    private void tell(List<RecordChange> committed, ExecutionStore.Applied applied) {
        if (listeners.isEmpty() || committed.isEmpty()) {
            return;
        }
        ExecutionChanges changes = ExecutionChanges.of(committed, applied.lateRecords(), applied.recountedTasks());
        for (ExecutionChangeListener listener : listeners) {
            try {
                listener.committed(changes);
            } catch (RuntimeException e) {
                LOG.error("execution change listener failed", e);
            }
        }
    }

    private ExecutionStore.Applied writeUntilCommitted(List<RecordChange> batch) {
        long backoffMillis = 100;
        while (true) {
            try {
                ExecutionStore.Applied applied = store.apply(batch);
                metrics.settled(applied.settled());
                return applied;
            } catch (RuntimeException e) {
                LOG.error("writing {} execution changes failed; retrying in {} ms", batch.size(), backoffMillis, e);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return new ExecutionStore.Applied(Map.of(), Set.of(), Set.of(), Set.of());
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /** Finishes the writes already queued, so a SIGTERM loses nothing that was acknowledged or promised. */
    @PreDestroy
    void close() throws InterruptedException {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        flusher.join(30_000);
    }
}
