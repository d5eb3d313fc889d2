package io.deskfleet.controlplane.execution;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The rollout engine's one thread and its queue of events: every processor runs on it, one event at a time, so the
 * engine's state needs no lock. A second thread only queues timed events (the deadline sweep) onto it.
 */
final class RolloutLoop {
    private static final long ANSWER_SECONDS = 30;

    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> daemon(r, "rollout-engine"));
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rollout-deadlines"));

    /** Queues an event. */
    void execute(Runnable event) {
        loop.execute(event);
    }

    /** Queues {@code event} every {@code period}, the first time one period from now. */
    void every(Duration period, Runnable event) {
        long millis = period.toMillis();
        ticker.scheduleWithFixedDelay(() -> loop.execute(event), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs work on the loop and waits for it, rethrowing what it throws. */
    <T> T call(Callable<T> work) {
        return await(CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }, loop), "rollout engine did not answer");
    }

    /** Waits for a future, rethrowing what it completed with; a caller waits no longer than 30 s. */
    static <T> T await(CompletableFuture<T> future, String timedOut) {
        try {
            return future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(timedOut + " within " + ANSWER_SECONDS + " s", e);
        }
    }

    /** Stops the timed events and lets the queued ones finish. */
    void close() throws InterruptedException {
        ticker.shutdownNow();
        loop.shutdown();
        loop.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
