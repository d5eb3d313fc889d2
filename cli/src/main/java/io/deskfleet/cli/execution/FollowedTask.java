package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.ExecutionRefRequest;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.cli.ExitCodes;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.approval.Approval;
import io.deskfleet.cli.follow.FailureNotes;
import io.deskfleet.cli.follow.ProgressView;
import io.deskfleet.cli.follow.RecordDetails;
import io.deskfleet.cli.follow.ResultTable;
import io.deskfleet.cli.follow.TaskFollower;
import io.deskfleet.cli.follow.TaskListener;
import io.deskfleet.cli.follow.TaskWatch;
import io.deskfleet.cli.http.ApiError;
import io.deskfleet.cli.http.Query;
import io.deskfleet.cli.output.Terminal;

import java.io.Console;
import java.io.PrintWriter;
import java.util.List;

/**
 * A started task followed to its end, as {@code run} and {@code retry} show it: the progress live, each failed
 * desktop's output the moment it fails, then one row per desktop and the task's end status.
 */
final class FollowedTask {
    private FollowedTask() {
    }

    /** Returns the exit code: 0 if the task succeeded, 3 if it ended FAILED or CANCELLED. */
    static int follow(Session session, String taskId, PrintWriter out, boolean stopOnInterrupt) {
        out.println("Task " + taskId + " started.");
        Console console = System.console();
        ProgressView view = new ProgressView(out, console != null, System::nanoTime);
        if (heldForApproval(session, taskId)) {
            view.note("Task " + taskId + " targets a protected pool or tag: it waits until another admin runs "
                    + "'deskfleet approvals approve " + taskId + "'.");
        }
        Interruption.Mode mode = stopOnInterrupt ? Interruption.Mode.STOP
                : console != null ? Interruption.Mode.ASK : Interruption.Mode.LEAVE;
        Interruption interruption = new Interruption(taskId, mode, question -> ask(console, view, question),
                () -> StopCommand.stop(session, new ExecutionRefRequest(taskId, null)), view::note, code -> {
                    out.flush();
                    System.exit(code);
                });
        TaskWatch watch = new TaskWatch(taskId);
        FailureNotes failures = new FailureNotes(session, view::note);
        try (SignalTrap trap = SignalTrap.install(interruption)) {
            new TaskFollower(session, new TaskListener() {
                @Override
                public void updated(TaskWatch w, boolean ended) {
                    view.update(w, ended);
                }

                @Override
                public void note(String message) {
                    view.note(message);
                }

                @Override
                public void record(ScriptExecutionRecord record, boolean firstFailure) {
                    if (firstFailure) {
                        failures.failed(record);
                    }
                }
            }).follow(watch);
        }
        List<ScriptExecutionRecordDetail> rows = RecordDetails.fetch(session, watch.decisiveRecords());
        out.println();
        out.print(ResultTable.render(rows, Terminal.width()));
        TaskStatus status = watch.endStatus();
        out.println();
        out.println("Task " + taskId + " " + status + ".");
        out.flush();
        return status == TaskStatus.SUCCESS ? ExitCodes.OK : ExitCodes.TASK_NOT_SUCCEEDED;
    }

    /** Whether the task waits for a second admin (the approvals API knows only held tasks: 404 otherwise). */
    private static boolean heldForApproval(Session session, String taskId) {
        try {
            return session.api().get(session.path("/approvals/" + Query.segment(taskId))).as(Approval.class)
                    .status().equals("PENDING_APPROVAL");
        } catch (ApiError e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String ask(Console console, ProgressView view, String question) {
        view.pause();
        try {
            return console.readLine("%s", question);
        } finally {
            view.resume();
        }
    }
}
