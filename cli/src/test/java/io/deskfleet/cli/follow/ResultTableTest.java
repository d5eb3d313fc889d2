package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    static ScriptExecutionRecordDetail detail(String name, int order, RecordStatus status, Integer exit, String output,
                                              String reason) {
        return new ScriptExecutionRecordDetail("r-" + name, null, null, "t1", "id-" + name, name, "DESKTOP", null, null,
                status, order, null, reason, output, false, exit, null);
    }

    @Test
    void oneRowPerDesktopWithBatchStatusExitCodeAndShortOutput() {
        String table = ResultTable.render(List.of(
                detail("desk-1", 1, RecordStatus.FAILED, 3, "broken\nmore detail\n", "the script exited with code 3"),
                detail("desk-2", 2, RecordStatus.SUCCESS, 0, "hello\n", null),
                detail("desk-3", 2, RecordStatus.UNDELIVERABLE, null, "", "not connected within 60s"),
                detail("desk-4", 2, RecordStatus.SKIPPED, null, null, null)), null);
        assertEquals("""
                DESKTOP  BATCH  STATUS         EXIT  OUTPUT
                desk-1   gray   FAILED         3     broken ...
                desk-2   rest   SUCCESS        0     hello
                desk-3   rest   UNDELIVERABLE  -     (not connected within 60s)
                desk-4   rest   SKIPPED        -     -
                """, table);
    }

    @Test
    void longOutputIsCut() {
        String output = ResultTable.shortOutput(detail("d", 0, RecordStatus.SUCCESS, 0, "x".repeat(100), null));
        assertEquals(40, output.length());
        assertEquals("x".repeat(37) + "...", output);
    }

    /** Issue 26: a skip reason is the row's whole explanation; it is not cut in a pipe, and at the width on a terminal. */
    @Test
    void aReasonIsCutOnlyAtTheTerminalsWidth() {
        String reason = "gray batch: 1 desktop(s) failed, reaching gray_fail_threshold 1";
        List<ScriptExecutionRecordDetail> rows = List.of(detail("desk-1", 2, RecordStatus.SKIPPED, null, null, reason));
        assertTrue(ResultTable.render(rows, null).contains("(" + reason + ")"));
        String narrow = ResultTable.render(rows, 30).lines().toList().get(1);
        assertTrue(narrow.endsWith("(gray batch: 1 desktop(s) f..."), narrow);
    }
}
