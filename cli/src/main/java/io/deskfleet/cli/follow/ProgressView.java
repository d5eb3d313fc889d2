package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.TaskStatus;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows a followed task: on a terminal, a status line and one progress bar per batch, redrawn in place at most ten
 * times a second; otherwise (a pipe, a CI log) plain lines, one when the task's status changes and one each time a
 * batch passes another tenth of its desktops, so a log of a large task stays short.
 */
public final class ProgressView implements TaskListener {
    static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private int linesDrawn;
    private long lastDraw;
    private boolean drawn;
    private boolean paused;
    private TaskStatus lastStatus;
    private final Map<Integer, Batch> lastPrinted = new HashMap<>();

    public ProgressView(PrintWriter out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    /** Shows the watch's state; {@code force} draws even within the redraw interval (the final state). */
    public synchronized void update(TaskWatch watch, boolean force) {
        if (paused) {
            return;
        }
        if (terminal) {
            long now = nanoClock.getAsLong();
            if (!force && drawn && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            redraw(lines(watch));
            lastDraw = now;
            drawn = true;
        } else {
            printChanges(watch, force);
        }
    }

    @Override
    public void updated(TaskWatch watch, boolean ended) {
        update(watch, ended);
    }

    /** A line that does not belong to the progress display (e.g. a reconnect, a failed desktop), printed above it. */
    @Override
    public synchronized void note(String message) {
        clear();
        out.println(message);
        out.flush();
    }

    /** Removes the bars and draws nothing until {@link #resume()}: a question is being asked on the terminal. */
    public synchronized void pause() {
        clear();
        out.flush();
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
    }

    private void clear() {
        if (terminal && linesDrawn > 0) {
            out.print("\033[" + linesDrawn + "F\033[J");
            linesDrawn = 0;
        }
    }

    private void redraw(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (linesDrawn > 0) {
            text.append("\033[").append(linesDrawn).append('F');
        }
        for (String line : lines) {
            text.append("\033[2K").append(line).append('\n');
        }
        out.print(text);
        out.flush();
        linesDrawn = lines.size();
    }

    /**
     * A status that is not final is printed as it comes; the final one once more after the last bars ({@code last}),
     * where its sums are the bars' (a task seen first when it had already ended has no records yet).
     */
    private void printChanges(TaskWatch watch, boolean last) {
        ScriptExecutionTask task = watch.task();
        if (task != null && task.status() != lastStatus && !task.status().isTerminal()) {
            out.println(statusLine(watch));
            lastStatus = task.status();
        }
        for (Batch batch : watch.batches()) {
            int tenth = batch.desktops() == 0 ? 10 : batch.done() * 10 / batch.desktops();
            Batch printed = lastPrinted.get(batch.order());
            int printedTenth = printed == null || printed.desktops() == 0 ? 0 : printed.done() * 10 / printed.desktops();
            // a late result can still change a finished batch's counts
            boolean finishedAndChanged = batch.done() == batch.desktops() && !batch.equals(printed);
            if (batch.done() > 0 && (tenth != printedTenth || finishedAndChanged)) {
                out.println(batchLine(batch));
                lastPrinted.put(batch.order(), batch);
            }
        }
        if (last) {
            out.println(statusLine(watch));
        }
        out.flush();
    }

    static List<String> lines(TaskWatch watch) {
        List<String> lines = new ArrayList<>();
        lines.add(statusLine(watch));
        watch.batches().forEach(batch -> lines.add(batchLine(batch)));
        return lines;
    }

    /** The task's status with the sums of the bars below it, so the two never disagree. */
    static String statusLine(TaskWatch watch) {
        ScriptExecutionTask task = watch.task();
        if (task == null) {
            return "task " + watch.taskId() + "  CONNECTING";
        }
        int succeeded = 0;
        int failed = 0;
        int skipped = 0;
        for (Batch batch : watch.batches()) {
            succeeded += batch.succeeded();
            failed += batch.failed();
            skipped += batch.skipped();
        }
        return "task " + task.id() + "  " + task.status() + "  succeeded " + succeeded + ", failed " + failed
                + ", skipped " + skipped;
    }

    static String batchLine(Batch batch) {
        return String.format("%-5s %s %d/%d  (%d ok, %d failed, %d skipped)", batch.label(),
                bar(batch.done(), batch.desktops()), batch.done(), batch.desktops(), batch.succeeded(),
                batch.failed(), batch.skipped());
    }

    static String bar(int done, int total) {
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) done * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }
}
