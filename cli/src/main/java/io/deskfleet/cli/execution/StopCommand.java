package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.ExecutionRefRequest;
import io.deskfleet.cli.Session;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "stop", description = {
        "Stops a task: desktops not started are cancelled, running ones are killed. With --record, only that "
                + "record's desktop; the rest of the task goes on.",
        "A finished task, or one waiting for approval (reject it instead), is refused (409)."})
public final class StopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Ref ref;

    /** Exactly one of a task id and --record, as the API's body. */
    static final class Ref {
        @Parameters(paramLabel = "TASK_ID", arity = "1")
        String taskId;

        @Option(names = "--record", paramLabel = "RECORD_ID", required = true,
                description = "One desktop's record (an id from 'deskfleet records').")
        String recordId;

        ExecutionRefRequest body() {
            return new ExecutionRefRequest(taskId, recordId);
        }

        String shown() {
            return taskId != null ? "Task " + taskId : "Record " + recordId;
        }
    }

    @Override
    public Integer call() {
        Session session = Session.current();
        stop(session, ref.body());
        spec.commandLine().getOut().println(ref.shown() + " stopped.");
        return 0;
    }

    /** Answered once the cancelled records are stored; a killed desktop settles when its agent reports the kill. */
    static void stop(Session session, ExecutionRefRequest body) {
        session.api().post(session.path("/script-executions/stop"), body);
    }
}
