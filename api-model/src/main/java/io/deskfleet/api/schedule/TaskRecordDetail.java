package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One desktop of one fire (GET .../scheduled-tasks/{task_id}/records/{record_id}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskRecordDetail(String id, String recordId, String desktopId, String desktopName, String execStatus,
                               String execScriptId, String resultCode, String failReason, String startTime,
                               String endTime, String timeZone) {
}
