package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.Query;

import java.util.List;
import java.util.function.Consumer;

/**
 * Shows a desktop's failure while the task runs, the moment its record fails: the status, exit code and reason, and
 * the last lines of its output. After {@link #MAX_SHOWN} failures only one line says the rest are in the final
 * table, so a fleet that fails everywhere does not bury the progress.
 */
public final class FailureNotes {
    static final int MAX_SHOWN = 20;
    static final int TAIL_LINES = 10;

    private final Session session;
    private final Consumer<String> note;
    private int failures;

    public FailureNotes(Session session, Consumer<String> note) {
        this.session = session;
        this.note = note;
    }

    public void failed(ScriptExecutionRecord record) {
        failures++;
        if (failures > MAX_SHOWN) {
            if (failures == MAX_SHOWN + 1) {
                note.accept("(more desktops failed; the table at the end shows every one)");
            }
            return;
        }
        ScriptExecutionRecordDetail detail = session.api()
                .get(session.path("/script-execution-records/" + Query.segment(record.id())))
                .as(ScriptExecutionRecordDetail.class);
        note.accept(render(detail));
    }

    static String render(ScriptExecutionRecordDetail detail) {
        StringBuilder text = new StringBuilder();
        text.append(detail.resourceName() == null ? detail.resourceId() : detail.resourceName())
                .append(" (").append(Batch.label(detail.executeOrder()))
                .append(detail.scriptName() == null ? "" : ", " + detail.scriptName()).append(") ")
                .append(detail.status());
        if (detail.exitCode() != null) {
            text.append(", exit ").append(detail.exitCode());
        }
        if (detail.reason() != null && !detail.reason().isBlank()) {
            text.append(": ").append(detail.reason().strip());
        }
        String output = detail.output() == null ? "" : detail.output().stripTrailing();
        if (!output.isEmpty()) {
            List<String> lines = output.lines().toList();
            if (lines.size() > TAIL_LINES) {
                text.append("\n  | (").append(lines.size() - TAIL_LINES).append(" lines before)");
            }
            lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
                    .forEach(line -> text.append("\n  | ").append(line));
            if (Boolean.TRUE.equals(detail.outputTruncated())) {
                text.append("\n  | (the excerpt ends here; 'deskfleet output ").append(detail.scriptTaskId())
                        .append(" --desktop ").append(detail.resourceId()).append("' shows all of it)");
            }
        }
        return text.toString();
    }
}
