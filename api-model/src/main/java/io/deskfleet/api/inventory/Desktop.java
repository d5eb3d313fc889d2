package io.deskfleet.api.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A desktop. status: ACTIVE|SHUTOFF|ERROR|HIBERNATED; login_status: UNREGISTER|REGISTERED|CONNECTED|DISCONNECTED.
 * Times are ISO-8601 UTC strings; last_heartbeat_time is null (written, not left out) until the agent first connects.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Desktop(String desktopId, String computerName, String desktopPoolId, String osType, String status,
                      String loginStatus, List<DesktopTag> tags, boolean agentOnline, String agentVersion,
                      String bootId, String lastHeartbeatTime, String created) {
}
