package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The execution meters: records settled by status, gray halts, and how long a started task waits for its first
 * batch to be sent. Meters are created once here, so the hot paths only increment.
 */
@Singleton
public class ExecutionMetrics {
    private final Map<RecordStatus, Counter> settled = new EnumMap<>(RecordStatus.class);
    private final Counter halts;
    private final Timer dispatchLatency;

    public ExecutionMetrics(MeterRegistry registry) {
        for (RecordStatus status : RecordStatus.values()) {
            if (status.isTerminal()) {
                settled.put(status, Counter.builder("deskfleet.invocations")
                        .description("Execution records (one per desktop and script) that reached a terminal status")
                        .tag("status", status.name())
                        .register(registry));
            }
        }
        halts = Counter.builder("deskfleet.rollout.halts")
                .description("Tasks whose gray batch failures reached gray_fail_threshold, skipping the rest")
                .register(registry);
        dispatchLatency = Timer.builder("deskfleet.dispatch.latency")
                .description("From a task handed to the rollout engine to its first batch's commands queued on the"
                        + " agents' streams")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Counts what a committed write settled (see {@link ExecutionStore#apply}). */
    void settled(Map<RecordStatus, Integer> countsByStatus) {
        countsByStatus.forEach((status, count) -> {
            Counter counter = settled.get(status);
            if (counter != null && count > 0) {
                counter.increment(count);
            }
        });
    }

    void rolloutHalted() {
        halts.increment();
    }

    /** @param acceptedNanos {@link System#nanoTime()} when the engine accepted the task */
    void firstBatchSent(long acceptedNanos) {
        dispatchLatency.record(System.nanoTime() - acceptedNanos, TimeUnit.NANOSECONDS);
    }
}
