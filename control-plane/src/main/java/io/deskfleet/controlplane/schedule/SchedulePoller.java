package io.deskfleet.controlplane.schedule;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One thread that polls the database every 500 ms for due clock fires and due triggers (indexed queries), so
 * firing never runs on gRPC or HTTP threads and survives restarts: the next fire times live in the database.
 */
@Context
public class SchedulePoller {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulePoller.class);
    private static final long INTERVAL_MS = 500;
    private static final int BATCH = 100;

    private final FireStore fires;
    private final ScheduleRunner runner;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedule-poller");
        t.setDaemon(true);
        return t;
    });

    public SchedulePoller(FireStore fires, ScheduleRunner runner, Clock clock) {
        this.fires = fires;
        this.runner = runner;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        int interrupted = fires.failInterrupted();
        if (interrupted > 0) {
            LOG.warn("{} scheduled fires were interrupted by the last shutdown and are recorded as FAIL", interrupted);
        }
        thread.scheduleWithFixedDelay(this::poll, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    private void poll() {
        try {
            Instant now = clock.instant();
            List<String> due = fires.dueTaskIds(now, BATCH);
            for (String taskId : due) {
                guarded("task " + taskId, () -> runner.fireClock(taskId));
            }
            for (FireStore.Trigger trigger : fires.dueTriggers(now, BATCH)) {
                guarded("trigger " + trigger.id(), () -> runner.fireTrigger(trigger));
            }
            guarded("execution fires", fires::settleExecutionFires);
        } catch (RuntimeException e) {
            LOG.error("schedule poll failed", e);
        }
    }

    /** One bad task must not stop the others from firing. */
    private static void guarded(String what, Runnable fire) {
        try {
            fire.run();
        } catch (RuntimeException e) {
            LOG.error("firing {} failed", what, e);
        }
    }
}
