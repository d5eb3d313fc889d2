package io.deskfleet.api.schedule;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** Answer of POST .../scheduled-tasks/future-executions: the next fire times, {@code yyyy-MM-dd HH:mm:ss}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FutureExecutions(List<String> futureExecutions) {
}
