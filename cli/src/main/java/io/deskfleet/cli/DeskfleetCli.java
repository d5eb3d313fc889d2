package io.deskfleet.cli;

import io.deskfleet.cli.approval.ApprovalsCommand;
import io.deskfleet.cli.auth.LoginCommand;
import io.deskfleet.cli.execution.OutputCommand;
import io.deskfleet.cli.execution.RetryCommand;
import io.deskfleet.cli.execution.StopCommand;
import io.deskfleet.cli.inventory.ActivationsCommand;
import io.deskfleet.cli.execution.RecordsCommand;
import io.deskfleet.cli.execution.RunCommand;
import io.deskfleet.cli.execution.TasksCommand;
import io.deskfleet.cli.inventory.DesktopsCommand;
import io.deskfleet.cli.inventory.PoolsCommand;
import io.deskfleet.cli.schedule.ScheduleCommand;
import io.deskfleet.cli.script.ScriptsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

// INHERIT: every subcommand gets --help (and --version)
@Command(name = "deskfleet", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = DeskfleetCli.Version.class,
        description = "Runs scripts on Deskfleet desktop fleets in gray batches, from the command line.",
        subcommands = {LoginCommand.class, PoolsCommand.class, ActivationsCommand.class, DesktopsCommand.class,
                ScriptsCommand.class, RunCommand.class, TasksCommand.class, RecordsCommand.class, OutputCommand.class,
                StopCommand.class, RetryCommand.class, ApprovalsCommand.class, ScheduleCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the API refused the request (error_code and error_msg are printed) or could not be reached",
                "2:bad options or arguments, or not logged in", "3:run, retry: the task ended FAILED or CANCELLED",
                "130:run, retry: interrupted (Ctrl-C); the task goes on unless it was stopped%n"})
public final class DeskfleetCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured command tree; tests parse with it without executing. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new DeskfleetCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    PrintWriter errors = cmd.getErr();
                    if (e instanceof CliFailure failure) {
                        errors.println("error: " + failure.getMessage());
                        errors.flush();
                        return failure.exitCode();
                    }
                    // a bug of ours: still one line for the user, not a stack trace
                    errors.println("error: " + e);
                    errors.flush();
                    return ExitCodes.API_ERROR;
                });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DeskfleetCli.class.getPackage().getImplementationVersion();
            return new String[] {"deskfleet " + (version == null ? "(development build)" : version)};
        }
    }
}
