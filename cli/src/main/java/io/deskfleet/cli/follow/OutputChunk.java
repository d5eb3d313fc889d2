package io.deskfleet.cli.follow;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Data of an {@code output} event: {@code bytes} bytes of a record's output from byte {@code offset}, ending on a
 * whole UTF-8 character (docs/contract-notes.md, "Record output").
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputChunk(String recordId, String desktopId, long offset, long bytes, String output) {
}
