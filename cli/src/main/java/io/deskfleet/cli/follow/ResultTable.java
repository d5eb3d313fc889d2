package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.cli.output.Table;

import java.util.List;

/** The table printed when a followed task ends: one row per desktop. */
public final class ResultTable {
    static final int OUTPUT_WIDTH = 40;

    private ResultTable() {
    }

    /**
     * Desktop names whole; the last column, an output's first line (cut at {@link #OUTPUT_WIDTH}) or the skip or
     * failure reason of a desktop that printed nothing, cut only at {@code lastColumnMax} (the terminal's width, or
     * null in a pipe: not at all).
     */
    public static String render(List<ScriptExecutionRecordDetail> rows, Integer lastColumnMax) {
        Table table = Table.whole(lastColumnMax, "DESKTOP", "BATCH", "STATUS", "EXIT", "OUTPUT");
        for (ScriptExecutionRecordDetail row : rows) {
            table.add(row.resourceName() == null ? row.resourceId() : row.resourceName(),
                    Batch.label(row.executeOrder()), row.status(), row.exitCode(), shortOutput(row));
        }
        return table.render();
    }

    /** The output's first non-blank line, or the reason when there is no output (e.g. UNDELIVERABLE). */
    static String shortOutput(ScriptExecutionRecordDetail row) {
        String first = firstLine(row.output());
        if (first.isEmpty()) {
            return row.reason() == null || row.reason().isBlank() ? "" : "(" + row.reason().strip() + ")";
        }
        return first;
    }

    /** The output's first non-blank line, cut at {@link #OUTPUT_WIDTH}, with " ..." when more follows; "" if none. */
    public static String firstLine(String text) {
        String output = text == null ? "" : text.strip();
        if (output.isEmpty()) {
            return "";
        }
        String[] lines = output.split("\\R");
        String first = lines[0].strip();
        boolean more = lines.length > 1;
        if (first.length() > OUTPUT_WIDTH) {
            return first.substring(0, OUTPUT_WIDTH - 3) + "...";
        }
        return more ? first + " ..." : first;
    }
}
