package io.deskfleet.controlplane.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/** deskfleet.schedule.lateness: how long after its planned time a scheduled or triggered fire was claimed to run. */
@Singleton
public class ScheduleMetrics {
    private final Timer lateness;

    public ScheduleMetrics(MeterRegistry registry) {
        lateness = Timer.builder("deskfleet.schedule.lateness")
                .description("Time from a fire's planned time to the control plane starting it")
                .publishPercentileHistogram()
                .register(registry);
    }

    void fired(Instant planned, Instant started) {
        // A fire started early (clock skew between the poll and the plan) counts as on time.
        lateness.record(Duration.between(planned, started).isNegative() ? Duration.ZERO
                : Duration.between(planned, started));
    }
}
