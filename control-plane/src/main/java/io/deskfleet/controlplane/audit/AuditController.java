package io.deskfleet.controlplane.audit;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.controlplane.auth.Caller;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** The project's audit trail, newest first; its admins only. */
@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "audit")
@ApiErrors
@Controller("/v2/{project_id}/audit-events")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 100;

    private final AuditStore store;

    public AuditController(AuditStore store) {
        this.store = store;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EventView(String id, String occurredAt,
                            String actorType, String userId,
                            String userName, String accessKey,
                            String role, String scheduledTaskId,
                            String clientAddress, String operation,
                            List<String> targetIds,
                            String requestSummary, String outcome,
                            Integer statusCode,
                            String errorCode) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EventList(long totalCount,
                            List<EventView> auditEvents) {
    }

    @Operation(operationId = "listAuditEvents", summary = "List audit events (project admins only)")
    @Get
    public EventList list(@Parameter(hidden = true) Caller caller, @PathVariable("project_id") String projectId,
                          @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit,
                          @QueryValue("start_time") @Nullable String from,
                          @QueryValue("end_time") @Nullable String to,
                          @QueryValue("user_name") @Nullable String userName,
                          @QueryValue @Nullable String operation,
                          @QueryValue("target_id") @Nullable String targetId,
                          @QueryValue @Nullable String outcome) {
        if (!caller.isAdmin()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only the project's admins may read its audit trail.");
        }
        AuditQuery query = new AuditQuery(projectId, instant("start_time", from), instant("end_time", to),
                blankToNull(userName), blankToNull(operation), blankToNull(targetId), outcome(outcome));
        AuditStore.Listed listed = store.list(query, Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT));
        return new EventList(listed.totalCount(), listed.events().stream().map(AuditController::view).toList());
    }

    private static EventView view(AuditStore.Stored s) {
        AuditEvent e = s.event();
        Actor a = e.actor();
        return new EventView(Long.toString(s.id()), Times.iso(e.occurredAt()), a.type().name(), a.userId(),
                a.userName(), a.accessKey(), a.role(), a.scheduledTaskId(), e.clientAddress(), e.operation(),
                e.targetIds(), e.requestSummary(), e.outcome().name(), e.statusCode(), e.errorCode());
    }

    private static AuditEvent.Outcome outcome(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return AuditEvent.Outcome.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("outcome: must be one of SUCCESS, FAILURE");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field + ": must be an ISO-8601 instant such as 2026-11-23T09:00:00Z");
        }
    }
}
