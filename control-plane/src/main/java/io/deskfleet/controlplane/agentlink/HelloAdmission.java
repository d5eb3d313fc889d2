package io.deskfleet.controlplane.agentlink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the Hellos being checked and recorded at once, as {@link RegistrationQueue} bounds registrations: a Hello
 * is admitted only if the ones before it are expected to be welcomed within deskfleet.agent.hello-max-wait; any
 * other stream is ended at once with RESOURCE_EXHAUSTED and a retry hint, before any database work.
 * <p>
 * Why: after a replica's kill its desktops reconnect to the survivors together (5,000 each at 30,000 desktops on 3
 * replicas). An agent with several addresses gives up on a stream without a Welcome after 10 s and tries the next
 * one, so a Hello admitted behind thousands of others may be answered after its agent left: the work is wasted and
 * the agent comes back anyway. Shed at once, it waits the hint and comes back when there is room.
 * <p>
 * The time per Hello is measured on each admitted one: the time from its arrival to its answer, divided by the
 * Hellos it found pending plus itself.
 */
@Singleton
public class HelloAdmission {
    private final QueueAdmission admission;
    private final AtomicInteger pending = new AtomicInteger();
    private final Counter shed;

    public HelloAdmission(@Value("${deskfleet.agent.hello-max-wait:5s}") Duration maxWait,
                          @Value("${deskfleet.agent.hello-retry-after:1s}") Duration minRetryAfter,
                          MeterRegistry registry) {
        this.admission = new QueueAdmission(maxWait, minRetryAfter);
        this.shed = Counter.builder("deskfleet.agent.hellos.shed")
                .description("Agent streams ended at their Hello with RESOURCE_EXHAUSTED: too many Hellos pending")
                .register(registry);
    }

    /** A ticket to answer the Hello with, or empty when it must be shed ({@link #retryAfter()}). */
    Optional<Ticket> admit() {
        // Counted before the check: Hellos arrive on several gRPC threads at once, and each must see the others.
        int ahead = pending.getAndIncrement();
        if (!admission.admits(ahead, Long.MAX_VALUE)) {
            pending.decrementAndGet();
            shed.increment();
            return Optional.empty();
        }
        return Optional.of(new Ticket(ahead, System.nanoTime()));
    }

    /** How long a stream shed now should wait at least. */
    Duration retryAfter() {
        return admission.retryAfter(pending.get());
    }

    int pending() {
        return pending.get();
    }

    /** One admitted Hello; {@link #answered} once, whatever the answer. */
    final class Ticket {
        private final int ahead;
        private final long arrivedNanos;

        private Ticket(int ahead, long arrivedNanos) {
            this.ahead = ahead;
            this.arrivedNanos = arrivedNanos;
        }

        void answered() {
            pending.decrementAndGet();
            admission.served(ahead + 1, System.nanoTime() - arrivedNanos);
        }
    }
}
