package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.cli.ExitCodes;
import io.deskfleet.cli.Session;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "retry", description = {
        "Runs a finished task again on its failed desktops (all at once, no gray batch), or with --record on that "
                + "record's desktop; follows the new task as run does.",
        "A task still running, or with no failed desktop, is refused (409).",
        "Exit code 0 if the new task succeeded, 3 if it ended FAILED or CANCELLED."})
public final class RetryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    StopCommand.Ref ref;

    @Option(names = "--no-follow", description = "Print the new task's id and return at once.")
    boolean noFollow;

    @Option(names = "--stop-on-interrupt", description = "Ctrl-C stops the new task without asking (for scripts).")
    boolean stopOnInterrupt;

    @Override
    public Integer call() {
        Session session = Session.current();
        String taskId = session.api().post(session.path("/script-executions/retry"), ref.body())
                .as(TaskIdResponse.class).taskId();
        if (noFollow) {
            spec.commandLine().getOut().println(taskId);
            return ExitCodes.OK;
        }
        return FollowedTask.follow(session, taskId, spec.commandLine().getOut(), stopOnInterrupt);
    }
}
