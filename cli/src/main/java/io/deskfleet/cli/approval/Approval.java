package io.deskfleet.cli.approval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * An approval as GET/POST .../approvals answer it (docs/contract-notes.md, "Protected pools and tags, approvals").
 * The control plane keeps its view class to itself, so the CLI reads the fields it shows.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Approval(String taskId, String status, String requestedBy, String scheduledTaskId, int protectedDesktopCount,
                String requestedAt, String expiresAt, String decidedBy, String decidedAt, String reason) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Page(long totalCount, List<Approval> approvals) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RejectBody(String reason) {
    }
}
