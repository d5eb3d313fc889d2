package io.deskfleet.controlplane.agentlink;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the registrations in progress. A Register costs a transaction of writes (the activation's count, the
 * desktop, its tags) and a credential hash; 10,000 agents registering at once used to queue on the agent-link pool,
 * in front of every stream's messages, until their deadlines passed. Now at most {@code permits} run, on threads of
 * their own, and every call beyond is refused at once so the agent retries after the hint (RESOURCE_EXHAUSTED with
 * grpc-retry-pushback-ms, see agent.proto). The activation's row lock serializes registrations of one activation
 * anyway, so a few permits give the throughput there is.
 */
@Singleton
public class RegistrationLimit {
    private final Semaphore permits;
    private final ExecutorService workers;
    private final Duration retryAfter;

    public RegistrationLimit(@Value("${deskfleet.agent.max-concurrent-registrations:4}") int maxConcurrent,
                             @Value("${deskfleet.agent.registration-retry-after:1s}") Duration retryAfter) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("deskfleet.agent.max-concurrent-registrations must be at least 1");
        }
        this.permits = new Semaphore(maxConcurrent);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "agent-register-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.retryAfter = retryAfter;
    }

    /** Runs {@code registration} on a registration thread, or returns false at once when all are busy. */
    boolean tryRun(Runnable registration) {
        if (!permits.tryAcquire()) {
            return false;
        }
        workers.execute(() -> {
            try {
                registration.run();
            } finally {
                permits.release();
            }
        });
        return true;
    }

    /** How long a refused caller should wait at least. */
    Duration retryAfter() {
        return retryAfter;
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }
}
