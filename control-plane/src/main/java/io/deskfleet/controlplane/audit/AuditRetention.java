package io.deskfleet.controlplane.audit;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes audit events older than {@code deskfleet.audit.retention-days} (default 365): at start, then hourly. The
 * only way an event ever leaves the trail; there is no API that updates or deletes one.
 */
@Context
public class AuditRetention {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-retention");
        t.setDaemon(true);
        return t;
    });

    public AuditRetention(AuditStore store, Clock clock,
                          @Value("${deskfleet.audit.retention-days:365}") int retentionDays) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("deskfleet.audit.retention-days must be 1 or more");
        }
        this.store = store;
        this.clock = clock;
        this.retention = Duration.ofDays(retentionDays);
    }

    @PostConstruct
    void start() {
        thread.scheduleWithFixedDelay(this::purge, 0, 1, TimeUnit.HOURS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    /** Deletes what the retention no longer keeps; returns how many events went. */
    public int purge() {
        try {
            int purged = store.purgeBefore(clock.instant().minus(retention));
            if (purged > 0) {
                LOG.info("purged {} audit events older than {} days", purged, retention.toDays());
            }
            return purged;
        } catch (RuntimeException e) {
            LOG.error("audit retention purge failed", e);
            return 0;
        }
    }
}
