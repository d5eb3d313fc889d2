package io.deskfleet.controlplane.audit;

import io.deskfleet.controlplane.auth.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The one way into the audit trail: REST calls come through {@link AuditFilter}; the control plane's own acts
 * (a schedule fire, an approval that expired) and domain steps (a task held for approval) are recorded here. Each
 * event is stored before the act is acknowledged.
 */
@Singleton
public class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    /** The operation of a schedule's fire (a clock fire or a life-cycle trigger). */
    public static final String SCHEDULE_FIRE = "schedule.fire";

    private final AuditStore store;
    private final Clock clock;

    public AuditTrail(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Stores the event; a failure is logged, never thrown: the act it describes has already happened. */
    public void record(AuditEvent event) {
        try {
            store.append(event);
        } catch (RuntimeException e) {
            LOG.error("audit event {} {} could not be stored", event.operation(), event.targetIds(), e);
        }
    }

    /** Records a successful act of the current actor (see {@link #currentActor()}) outside a REST call's own event. */
    public void recordAct(String projectId, String operation, List<String> targetIds, String summary) {
        Actor actor = currentActor();
        String address = ServerRequestContext.currentRequest().map(AuditTrail::clientAddress).orElse(null);
        record(new AuditEvent(projectId, clock.instant(), actor, address, operation, targetIds, summary,
                AuditEvent.Outcome.SUCCESS, null, null));
    }

    /** Records an act of the control plane itself, for a scheduled task or on its own (scheduledTaskId null). */
    public void recordSystem(String projectId, String scheduledTaskId, String operation, List<String> targetIds,
                             String summary, boolean succeeded, String failure) {
        record(new AuditEvent(projectId, clock.instant(), Actor.system(scheduledTaskId), null, operation, targetIds,
                summary, succeeded ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE, null, failure));
    }

    /** A schedule's fire: what kind, on how many desktops, how it went, and the execution task it started. */
    public void recordScheduleFire(String projectId, String scheduledTaskId, String taskKind, int desktops,
                                   String fireStatus, String executeTaskId) {
        List<String> targets = executeTaskId == null ? List.of(scheduledTaskId) : List.of(scheduledTaskId, executeTaskId);
        recordSystem(projectId, scheduledTaskId, SCHEDULE_FIRE, targets, "{\"task_type\":\"" + taskKind
                + "\",\"desktops\":" + desktops + ",\"fire_status\":\"" + fireStatus + "\"}",
                !"FAIL".equals(fireStatus), "FAIL".equals(fireStatus) ? "FIRE_FAILED" : null);
    }

    /**
     * Who the current thread acts for: the system when it runs a schedule fire, else the authenticated caller of
     * the HTTP request it serves (Micronaut propagates the request to the blocking executor), else the system.
     */
    public Actor currentActor() {
        Optional<String> scheduledTask = OnBehalfOfSchedule.current();
        if (scheduledTask.isPresent()) {
            return Actor.system(scheduledTask.get());
        }
        return ServerRequestContext.currentRequest().map(AuditTrail::actorOf).orElse(Actor.system(null));
    }

    static Actor actorOf(HttpRequest<?> request) {
        Optional<String> accessKey = AuditFilter.accessKeyOf(request);
        return Caller.current(request)
                .map(c -> new Actor(accessKey.isPresent() ? Actor.Type.ACCESS_KEY : Actor.Type.USER, c.userId(),
                        c.userName(), accessKey.orElse(null), c.role().apiName(), null))
                .orElseGet(() -> new Actor(Actor.Type.ANONYMOUS, null, null, accessKey.orElse(null), null, null));
    }

    static String clientAddress(HttpRequest<?> request) {
        return request.getRemoteAddress().getAddress().getHostAddress();
    }
}
