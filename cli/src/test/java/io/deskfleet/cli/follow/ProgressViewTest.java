package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.TaskStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.deskfleet.cli.follow.TaskWatchTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressViewTest {

    static ScriptExecutionTask task(TaskStatus status, int ok, int failed, int skipped) {
        return new ScriptExecutionTask("t1", List.of(), "DESKTOP", List.of("d1", "d2", "d3"), List.of("d1"), ok, failed,
                skipped, null, null, status);
    }

    @Test
    void barsAreProportionalAndFullWhenDone() {
        assertEquals("[" + ".".repeat(30) + "]", ProgressView.bar(0, 4));
        assertEquals("[" + "#".repeat(15) + ".".repeat(15) + "]", ProgressView.bar(2, 4));
        assertEquals("[" + "#".repeat(30) + "]", ProgressView.bar(4, 4));
        assertEquals("[" + "#".repeat(10) + ".".repeat(20) + "]", ProgressView.bar(1, 3));
    }

    @Test
    void linesShowTheTaskThenOneBarPerBatch() {
        TaskWatch watch = new TaskWatch("t1");
        assertEquals(List.of("task t1  CONNECTING"), ProgressView.lines(watch));
        watch.task(task(TaskStatus.RUNNING, 1, 0, 0));
        watch.record(record("r1", "d1", 1, RecordStatus.SUCCESS));
        watch.record(record("r2", "d2", 2, RecordStatus.RUNNING));
        watch.record(record("r3", "d3", 2, RecordStatus.FAILED));
        assertEquals(List.of(
                "task t1  RUNNING  succeeded 1, failed 1, skipped 0",
                "gray  [##############################] 1/1  (1 ok, 0 failed, 0 skipped)",
                "rest  [###############...............] 1/2  (0 ok, 1 failed, 0 skipped)"), ProgressView.lines(watch));
    }

    @Test
    void aTerminalIsRedrawnInPlaceAtMostTenTimesASecond() {
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong();
        ProgressView view = new ProgressView(new PrintWriter(text), true, clock::get);
        TaskWatch watch = new TaskWatch("t1");
        watch.task(task(TaskStatus.RUNNING, 0, 0, 0));
        watch.record(record("r1", "d1", 1, RecordStatus.RUNNING));
        view.update(watch, false);
        assertEquals("\033[2Ktask t1  RUNNING  succeeded 0, failed 0, skipped 0\n"
                + "\033[2Kgray  [" + ".".repeat(30) + "] 0/1  (0 ok, 0 failed, 0 skipped)\n"
                + "\033[2Krest  [" + ".".repeat(30) + "] 0/2  (0 ok, 0 failed, 0 skipped)\n", text.toString());

        text.getBuffer().setLength(0);
        clock.set(50_000_000L);
        watch.record(record("r1", "d1", 1, RecordStatus.SUCCESS));
        view.update(watch, false);
        assertEquals("", text.toString(), "within 100 ms of the last draw");

        view.update(watch, true);
        assertTrue(text.toString().startsWith("\033[3F\033[2Ktask t1"), text.toString());
        assertTrue(text.toString().contains("1/1"), text.toString());
    }

    @Test
    void plainOutputPrintsStatusChangesAndEachTenthOfABatchOnly() {
        StringWriter text = new StringWriter();
        ProgressView view = new ProgressView(new PrintWriter(text), false, () -> 0L);
        TaskWatch watch = new TaskWatch("t1");
        watch.task(task(TaskStatus.RUNNING, 0, 0, 0));
        for (int i = 0; i < 100; i++) {
            watch.record(record("r" + i, "d" + i, 2, RecordStatus.WAITING));
        }
        view.update(watch, false);
        assertEquals("task t1  RUNNING  succeeded 0, failed 0, skipped 0\n", text.toString());
        for (int i = 0; i < 100; i++) {
            watch.record(record("r" + i, "d" + i, 2, RecordStatus.SUCCESS));
            view.update(watch, false);
        }
        watch.task(task(TaskStatus.SUCCESS, 100, 0, 0));
        view.update(watch, true);
        String[] lines = text.toString().split("\n");
        assertEquals(12, lines.length, text.toString());
        assertTrue(lines[1].contains(" 10/100 "), lines[1]);
        assertTrue(lines[10].contains(" 100/100 "), lines[10]);
        assertEquals("task t1  SUCCESS  succeeded 100, failed 0, skipped 0", lines[11]);
        assertFalse(text.toString().contains("\033"), "no escape codes outside a terminal");
    }

    /**
     * Issue 26: the totals come from the task's targets, not from the records seen so far ("gray 1/1", "gray 2/2"),
     * and a task that had ended before it was followed shows its final status once, after the bars, with their sums.
     */
    @Test
    void plainOutputShowsEachBatchWithItsWholeSizeFromTheFirstLine() {
        StringWriter text = new StringWriter();
        ProgressView view = new ProgressView(new PrintWriter(text), false, () -> 0L);
        TaskWatch watch = new TaskWatch("t1");
        watch.task(new ScriptExecutionTask("t1", List.of(), "DESKTOP", List.of("d1", "d2", "d3"), List.of("d1", "d2"),
                1, 1, 1, null, null, TaskStatus.FAILED));
        watch.record(record("r1", "d1", 1, RecordStatus.SUCCESS));
        view.update(watch, false);
        watch.record(record("r2", "d2", 1, RecordStatus.FAILED));
        view.update(watch, false);
        watch.record(record("r3", "d3", 2, RecordStatus.SKIPPED));
        view.update(watch, true);
        assertEquals("""
                gray  [###############...............] 1/2  (1 ok, 0 failed, 0 skipped)
                gray  [##############################] 2/2  (1 ok, 1 failed, 0 skipped)
                rest  [##############################] 1/1  (0 ok, 0 failed, 1 skipped)
                task t1  FAILED  succeeded 1, failed 1, skipped 1
                """, text.toString());
    }

    /** The status line sums the bars, so it never shows counts the bars do not (or the other way round). */
    @Test
    void theStatusLineAgreesWithTheBarsWhateverTheTaskEventSays() {
        TaskWatch watch = new TaskWatch("t1");
        watch.task(task(TaskStatus.FAILED, 0, 0, 0));
        watch.record(record("r1", "d1", 1, RecordStatus.FAILED));
        watch.record(record("r2", "d2", 2, RecordStatus.SKIPPED));
        watch.record(record("r3", "d3", 2, RecordStatus.CANCELLED));
        assertEquals("task t1  FAILED  succeeded 0, failed 1, skipped 2", ProgressView.statusLine(watch));
    }

    @Test
    void aNoteAndAPauseClearTheBarsOnATerminal() {
        StringWriter text = new StringWriter();
        ProgressView view = new ProgressView(new PrintWriter(text), true, () -> 0L);
        TaskWatch watch = new TaskWatch("t1");
        watch.task(task(TaskStatus.RUNNING, 0, 0, 0));
        view.update(watch, true);
        text.getBuffer().setLength(0);
        view.pause();
        assertEquals("\033[3F\033[J", text.toString());
        view.update(watch, true);
        assertEquals("\033[3F\033[J", text.toString(), "nothing is drawn while a question is asked");
        view.resume();
        view.update(watch, true);
        assertTrue(text.toString().endsWith("0/2  (0 ok, 0 failed, 0 skipped)\n"), text.toString());
    }
}
