package io.deskfleet.cli.execution;

import io.deskfleet.cli.CliFailure;
import io.deskfleet.cli.ExitCodes;

import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;

/**
 * What Ctrl-C (SIGINT) or SIGTERM does while a task is followed. Leaving the follow never stops the task by surprise:
 * <ul>
 * <li>with {@code --stop-on-interrupt} (for scripts and CI) the task is stopped without a question, and following
 * goes on until it has ended, so the table shows what was cancelled;</li>
 * <li>on a terminal, Ctrl-C asks whether to stop the task: yes stops it as above, anything else leaves it running
 * and exits;</li>
 * <li>otherwise (no terminal to ask on, or SIGTERM) the task is left running and the command exits.</li>
 * </ul>
 * A second signal while asking or stopping exits at once; the task goes on, or goes on being stopped.
 */
final class Interruption {
    enum Mode { ASK, STOP, LEAVE }

    private final String taskId;
    private final Mode mode;
    /** Shows a question and returns the answer, or null when there is none (end of input). */
    private final UnaryOperator<String> ask;
    private final Runnable stop;
    private final Consumer<String> note;
    private final IntConsumer exit;
    private boolean busy;

    Interruption(String taskId, Mode mode, UnaryOperator<String> ask, Runnable stop, Consumer<String> note,
                 IntConsumer exit) {
        this.taskId = taskId;
        this.mode = mode;
        this.ask = ask;
        this.stop = stop;
        this.note = note;
        this.exit = exit;
    }

    /** Handles one signal; {@code mayAsk} is false for SIGTERM, where nobody is there to answer. */
    void signalled(boolean mayAsk) {
        synchronized (this) {
            if (busy) {
                leave("Interrupted again: no longer following.");
                return;
            }
            busy = true;
        }
        Mode now = mode == Mode.ASK && !mayAsk ? Mode.LEAVE : mode;
        if (now == Mode.ASK) {
            String answer = ask.apply("Stop task " + taskId + " on every desktop? [y/N] ");
            now = answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")
                    ? Mode.STOP : Mode.LEAVE;
        }
        if (now == Mode.LEAVE) {
            leave("Interrupted.");
            return;
        }
        note.accept("Stopping task " + taskId + " (Ctrl-C again to stop following; the stop goes on).");
        try {
            stop.run();
        } catch (CliFailure failure) {
            // e.g. the task ended meanwhile (409), or waits for approval: following goes on and shows how it ends
            note.accept("Could not stop task " + taskId + ": " + failure.getMessage());
        }
    }

    private void leave(String why) {
        note.accept(why + " Task " + taskId + " goes on; 'deskfleet stop " + taskId + "' stops it, 'deskfleet output "
                + taskId + " --follow' follows its output.");
        exit.accept(ExitCodes.INTERRUPTED);
    }
}
