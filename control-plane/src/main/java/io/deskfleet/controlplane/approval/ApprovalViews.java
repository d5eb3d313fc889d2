package io.deskfleet.controlplane.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.execution.TaskScript;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.execution.ExecutionQueries;
import io.deskfleet.controlplane.execution.TaskStep;
import io.deskfleet.controlplane.execution.payload.PayloadKind;
import io.deskfleet.controlplane.execution.payload.PayloadKinds;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * An approval as the API shows it, with what its task runs (its scripts, or its command and shell, as the pool task
 * listing shows them): the second admin approves what they can read, not a task id.
 */
@Singleton
public class ApprovalViews {
    private final ExecutionQueries queries;
    private final PayloadKinds payloads;

    public ApprovalViews(ExecutionQueries queries, PayloadKinds payloads) {
        this.queries = queries;
        this.payloads = payloads;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApprovalView(String taskId, String status, String requestedBy, String scheduledTaskId,
                               int protectedDesktopCount, String requestedAt, String expiresAt, String decidedBy,
                               String decidedAt, String reason, List<TaskScript> scripts, String commandContent,
                               ScriptType commandType) {
    }

    ApprovalView view(Approval a) {
        PayloadKind.Shown shown = queries.task(a.projectId(), a.taskId())
                .map(t -> payloads.shown(t.taskType(), queries.steps(t.id()))).orElse(null);
        TaskStep command = shown == null ? null : shown.command();
        List<TaskScript> scripts = shown == null || shown.scripts() == null ? null
                : shown.scripts().stream().map(s -> new TaskScript(s.scriptId(), s.scriptName())).toList();
        return new ApprovalView(a.taskId(), a.status().name(), a.requestedBy(), a.scheduledTaskId(),
                a.protectedDesktops(), Times.iso(a.requestedAt()), Times.iso(a.expiresAt()), a.decidedBy(),
                a.decidedAt() == null ? null : Times.iso(a.decidedAt()), a.reason(), scripts,
                command == null ? null : command.content(), command == null ? null : command.type());
    }
}
