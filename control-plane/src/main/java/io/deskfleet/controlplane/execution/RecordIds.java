package io.deskfleet.controlplane.execution;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Record ids are derived from (task, desktop, step), so the engine never has to keep a table of them and a re-sent
 * command after a restart carries the same id: the record id is the invocation id the agent deduplicates on.
 */
public final class RecordIds {
    private RecordIds() {
    }

    public static String of(String taskId, String desktopId, int step) {
        return UUID.nameUUIDFromBytes((taskId + '/' + desktopId + '/' + step).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
