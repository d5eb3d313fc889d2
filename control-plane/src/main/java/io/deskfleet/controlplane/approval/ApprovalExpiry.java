package io.deskfleet.controlplane.approval;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Expires pending approvals once their time has passed: one indexed query a second, so an expired task is
 * CANCELLED within about a second of its deadline, also for approvals left pending across a restart.
 */
@Context
public class ApprovalExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalExpiry.class);
    private static final long INTERVAL_MS = 1000;

    private final ApprovalDecisions decisions;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "approval-expiry");
        t.setDaemon(true);
        return t;
    });

    public ApprovalExpiry(ApprovalDecisions decisions) {
        this.decisions = decisions;
    }

    @PostConstruct
    void start() {
        thread.scheduleWithFixedDelay(this::sweep, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    private void sweep() {
        try {
            decisions.expireDue();
        } catch (RuntimeException e) {
            LOG.error("expiring approvals failed", e);
        }
    }
}
