package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.ScriptExecutionTaskListResponse;
import io.deskfleet.api.execution.TaskScript;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.http.Query;
import io.deskfleet.cli.output.OutputOptions;
import io.deskfleet.cli.output.PageOptions;
import io.deskfleet.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "tasks", description = "Lists script-execution tasks, newest first (GET script-execution-tasks).")
public final class TasksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    PageOptions page;

    @Option(names = "--task", paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--status", paramLabel = "WAITING|RUNNING|SUCCESS|FAILED|CANCELLED")
    String status;

    @Override
    public Integer call() {
        Session session = Session.current();
        Query query = page.addTo(new Query().add("task_id", taskId).add("status", status));
        ApiClient.Response response = session.api().get(session.path("/script-execution-tasks") + query);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printedAsJson(response.body(), out)) {
            return 0;
        }
        ScriptExecutionTaskListResponse list = response.as(ScriptExecutionTaskListResponse.class);
        Table table = new Table("ID", "STATUS", "SCRIPTS", "DESKTOPS", "GRAY", "OK", "FAILED", "SKIPPED", "START", "END");
        for (ScriptExecutionTask task : list.scriptTasks()) {
            table.add(task.id(), task.status(), scripts(task), size(task.resourceIds()), size(task.grayResourceIds()),
                    task.successNum(), task.failedNum(), task.skipNum(), task.startTime(), task.endTime());
        }
        out.print(table.render());
        out.print(PageOptions.more(table.size(), list.count()));
        return 0;
    }

    private static String scripts(ScriptExecutionTask task) {
        if (task.taskScripts() == null || task.taskScripts().isEmpty()) {
            return "(command)";
        }
        return task.taskScripts().stream().map(TaskScript::name).collect(Collectors.joining(","));
    }

    private static int size(java.util.List<String> ids) {
        return ids == null ? 0 : ids.size();
    }
}
