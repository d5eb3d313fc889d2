package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.DesktopPoolExecutionRequest;
import io.deskfleet.api.execution.DesktopTagExecutionRequest;
import io.deskfleet.api.execution.ScriptExecutionRequest;
import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.cli.ExitCodes;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", sortOptions = false, description = {
        "Runs a command or stored scripts on desktops, gray batch first, and follows the task live until it ends; "
                + "then prints one row per desktop.",
        "Targets: --pool (optionally narrowed by --desktops), --tag, or --desktops alone (stored scripts only: the "
                + "API's script-executions endpoint).",
        "Ctrl-C asks whether to stop the task (on a terminal; --stop-on-interrupt stops it without asking); "
                + "otherwise the task goes on and run exits with 130.",
        "Exit code 0 if the task succeeded, 3 if it ended FAILED or CANCELLED."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--command", paramLabel = "TEXT", description = "Command content to run (command_content).")
    String command;

    @Option(names = "--type", paramLabel = "SHELL|POWERSHELL|BAT", defaultValue = "SHELL",
            description = "Interpreter of --command (command_type); default SHELL.")
    ScriptType type;

    @Option(names = "--script", split = ",", paramLabel = "SCRIPT_ID", description = "Stored scripts to run, in order (script_ids).")
    List<String> scriptIds;

    @Option(names = "--pool", paramLabel = "POOL_ID")
    String poolId;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Every desktop with this tag (desktop_tag).")
    String tag;

    @Option(names = "--desktops", split = ",", paramLabel = "DESKTOP_ID",
            description = "With --pool: a subset of the pool (desktop_ids); alone: these desktops (resource_ids).")
    List<String> desktopIds;

    @Option(names = "--gray-count", paramLabel = "N",
            description = "The first N target desktops form the gray batch (gray_count, 0-1000).")
    Integer grayCount;

    @Option(names = "--gray-desktops", split = ",", paramLabel = "DESKTOP_ID",
            description = "These desktops form the gray batch (gray_desktop_ids, or gray_resource_ids with --desktops alone).")
    List<String> grayDesktopIds;

    @Option(names = "--gray-fail-threshold", paramLabel = "N",
            description = "Gray failures that halt the rollout (gray_fail_threshold, default 1).")
    Integer grayFailThreshold;

    @Option(names = "--max-concurrency", paramLabel = "N|N%",
            description = "Non-gray desktops per batch, a count or a percentage (max_concurrency).")
    String maxConcurrency;

    @Option(names = "--timeout", paramLabel = "MINUTES", description = "Per script, 1-600 (execution_timeout, default 1).")
    Integer timeoutMinutes;

    @Option(names = "--no-follow", description = "Print the task id and return at once.")
    boolean noFollow;

    @Option(names = "--stop-on-interrupt",
            description = "Ctrl-C (or SIGTERM) stops the task without asking, then shows how it ended (for scripts).")
    boolean stopOnInterrupt;

    /** The endpoint (after /v2/{project_id}) and the body a command line asks for. */
    record Call(String path, Object body) {
    }

    @Override
    public Integer call() {
        Call call = plan();
        Session session = Session.current();
        String taskId = session.api().post(session.path(call.path()), call.body()).as(TaskIdResponse.class).taskId();
        PrintWriter out = spec.commandLine().getOut();
        if (noFollow) {
            out.println(taskId);
            return ExitCodes.OK;
        }
        return FollowedTask.follow(session, taskId, out, stopOnInterrupt);
    }

    Call plan() {
        boolean hasCommand = command != null;
        boolean hasScripts = scriptIds != null && !scriptIds.isEmpty();
        if (hasCommand == hasScripts) {
            throw usage("give either --command or --script");
        }
        boolean hasDesktops = desktopIds != null && !desktopIds.isEmpty();
        if (poolId != null && tag != null || tag != null && hasDesktops || poolId == null && tag == null && !hasDesktops) {
            throw usage("give one target: --pool (optionally with --desktops), --tag, or --desktops");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--type") && !hasCommand) {
            throw usage("--type applies to --command only (a stored script has its own type)");
        }
        String commandType = hasCommand ? type.name() : null;
        if (poolId != null) {
            return new Call("/desktop-pools/" + Query.segment(poolId) + "/script-executions",
                    new DesktopPoolExecutionRequest(scriptIds, grayCount, grayDesktopIds, grayFailThreshold, null, null,
                            command, commandType, timeoutMinutes, desktopIds, maxConcurrency, null));
        }
        if (tag != null) {
            return new Call("/script-executions/by-desktop-tag",
                    new DesktopTagExecutionRequest(tag, scriptIds, grayCount, grayDesktopIds, grayFailThreshold, null,
                            null, command, commandType, timeoutMinutes, maxConcurrency, null));
        }
        if (hasCommand) {
            throw usage("--command on --desktops needs their --pool: the script-executions endpoint runs stored "
                    + "scripts only");
        }
        return new Call("/script-executions", new ScriptExecutionRequest("DESKTOP", desktopIds, grayDesktopIds,
                grayCount, grayFailThreshold, scriptIds, timeoutMinutes, maxConcurrency, null));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
