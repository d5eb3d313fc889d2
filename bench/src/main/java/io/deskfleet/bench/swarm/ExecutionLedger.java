package io.deskfleet.bench.swarm;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the whole swarm really executed, by invocation id: how often each id ran (on any agent) and the exit code of
 * the result its agent sent. Each agent runs an id at most once, as the real agent's journal does; this ledger is
 * the independent check that it did, swarm-wide: an id that runs on two desktops, or twice on one, shows here.
 */
public final class ExecutionLedger {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong redeliveries = new AtomicLong();

    /** An agent starts running the invocation. */
    public void executed(String invocationId) {
        entries.computeIfAbsent(invocationId, id -> new Entry()).executions.incrementAndGet();
    }

    /** An agent got a RunCommand for an id it had already seen, and did not run it again. */
    public void redelivered() {
        redeliveries.incrementAndGet();
    }

    /** The agent sent (at least once) a result with this exit code. */
    public void resultSent(String invocationId, int exitCode) {
        entries.computeIfAbsent(invocationId, id -> new Entry()).exitCode = exitCode;
    }

    /** The control plane acknowledged the result: it is stored. */
    void acknowledged(String invocationId) {
        entries.computeIfAbsent(invocationId, id -> new Entry()).acknowledged.complete(null);
    }

    /** Waits until the control plane has acknowledged the id's result; false on timeout. */
    public boolean awaitAcknowledged(String invocationId, Duration timeout) throws InterruptedException {
        try {
            entries.computeIfAbsent(invocationId, id -> new Entry()).acknowledged
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public int executions(String invocationId) {
        Entry entry = entries.get(invocationId);
        return entry == null ? 0 : entry.executions.get();
    }

    /** The exit code the swarm reported for the id, or null if it sent no result for it. */
    public Integer sentExitCode(String invocationId) {
        Entry entry = entries.get(invocationId);
        return entry == null ? null : entry.exitCode;
    }

    public Iterable<String> invocationIds() {
        return entries.keySet();
    }

    public int size() {
        return entries.size();
    }

    public long redeliveries() {
        return redeliveries.get();
    }

    private static final class Entry {
        final AtomicInteger executions = new AtomicInteger();
        volatile Integer exitCode;
        final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    }
}
