package io.deskfleet.controlplane.agentlink;

import io.deskfleet.controlplane.inventory.ActivationStore;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Registrations are written by one thread, a batch per transaction (as {@code RecordWriter} writes records): one
 * commit for up to {@link #MAX_BATCH} desktops instead of one each, which is what a herd of desktops powered on
 * together needs. One thread and one database connection, so a herd never takes more than that from the streams'
 * messages and the REST API.
 * <p>
 * A call is queued only if {@link QueueAdmission} expects it stored in time; otherwise the caller is told at
 * once to come back later, with a hint sized from the queue (RESOURCE_EXHAUSTED with grpc-retry-pushback-ms, see
 * agent.proto). Registrations of one batch are stored in arrival order, so a retry behind its first attempt gets
 * the same desktop.
 */
@Singleton
public class RegistrationQueue {
    /** Bounds a transaction, so the activation's row and the connection are never held long. */
    static final int MAX_BATCH = 256;

    /** Where a registration's outcome goes; called once, on the writer thread. */
    interface Answer {
        void stored(ActivationStore.Outcome outcome);

        /** The batch was not stored (nothing of it is); the caller should retry. */
        void failed(RuntimeException e);
    }

    /** A caller that gave up (deadline, cancel) is skipped before it writes anything: its agent retries anyway. */
    record Pending(ActivationStore.Registration registration, BooleanSupplier cancelled, Answer answer) {
    }

    private final ActivationStore store;
    private final QueueAdmission admission;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Admitted and not yet answered: the queue and the batch being written. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread writer;

    public RegistrationQueue(ActivationStore store,
                             @Value("${deskfleet.agent.registration-max-wait:5s}") Duration maxWait,
                             @Value("${deskfleet.agent.registration-retry-after:1s}") Duration minRetryAfter) {
        this.store = store;
        this.admission = new QueueAdmission(maxWait, minRetryAfter);
        this.writer = new Thread(this::writeLoop, "agent-register");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues the registration, or returns false at once when it would wait too long.
     *
     * @param deadlineRemainingNanos what is left of the caller's deadline; {@code Long.MAX_VALUE} if none
     */
    boolean offer(Pending registration, long deadlineRemainingNanos) {
        if (!admission.admits(pending.get(), deadlineRemainingNanos)) {
            return false;
        }
        pending.incrementAndGet();
        queue.add(registration);
        return true;
    }

    /** How long a caller turned away now should wait at least. */
    Duration retryAfter() {
        return admission.retryAfter(pending.get());
    }

    private void writeLoop() {
        List<Pending> taken = new ArrayList<>(MAX_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, MAX_BATCH - 1);
            long start = System.nanoTime();
            List<Pending> batch = taken.stream().filter(p -> !p.cancelled().getAsBoolean()).toList();
            write(batch);
            admission.served(batch.size(), System.nanoTime() - start);
            pending.addAndGet(-taken.size());
            taken.clear();
        }
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<ActivationStore.Outcome> outcomes;
        try {
            outcomes = store.register(batch.stream().map(Pending::registration).toList());
        } catch (RuntimeException e) {
            batch.forEach(p -> answer(() -> p.answer().failed(e)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            ActivationStore.Outcome outcome = outcomes.get(i);
            Answer answer = batch.get(i).answer();
            answer(() -> answer.stored(outcome));
        }
    }

    /** A caller gone in the meantime makes gRPC throw; that must not end the writer thread. */
    private static void answer(Runnable answer) {
        try {
            answer.run();
        } catch (RuntimeException ignored) {
            // The agent retries, and a retry gets the same desktop.
        }
    }

    @PreDestroy
    void stop() {
        writer.interrupt();
    }
}
