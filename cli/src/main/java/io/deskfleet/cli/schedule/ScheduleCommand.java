package io.deskfleet.cli.schedule;

import io.deskfleet.api.execution.TaskIdResponse;
import io.deskfleet.api.schedule.BatchDeleteRequest;
import io.deskfleet.api.schedule.FutureExecutions;
import io.deskfleet.api.schedule.ScheduledTaskList;
import io.deskfleet.api.schedule.ScheduledTaskRequest;
import io.deskfleet.api.schedule.ScheduledTaskSummary;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "schedule", description = "Scheduled tasks: list, create, modify, delete, and preview fire times.",
        subcommands = {ScheduleCommand.ListTasks.class, ScheduleCommand.Create.class, ScheduleCommand.Modify.class,
                ScheduleCommand.Delete.class, ScheduleCommand.Preview.class})
public final class ScheduleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: list, create, modify, delete or preview");
    }

    /** The request body of create/modify/preview: fields the options leave out stay null (absent). */
    static ScheduledTaskRequest body(ScheduleFields when, TaskFields what, String applyObjectUpdateType) {
        return new ScheduledTaskRequest(what.taskName, what.taskType, when.scheduledType, when.dayInterval,
                when.weekList, when.monthList, when.dateList, when.scheduledDate, when.scheduledTime, when.expireTime,
                when.lifeCycleType, when.timeZone, what.grayCount, what.grayDesktopIds, what.grayFailThreshold,
                what.gray, what.forceExecute, what.description, what.enable, what.extraParams(), what.applyObjects(),
                applyObjectUpdateType, what.priority, what.waitTime);
    }

    static void requireNoConflict(CommandSpec spec, TaskFields what) {
        String conflict = what.conflict();
        if (conflict != null) {
            throw new ParameterException(spec.commandLine(), conflict);
        }
    }

    @Command(name = "list", description = "Lists scheduled tasks, newest first.")
    static final class ListTasks implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        OutputOptions output;
        @Mixin
        PageOptions page;

        @Option(names = "--name", description = "Tasks whose name contains this text.")
        String taskName;

        @Option(names = "--task-type")
        String taskType;

        @Option(names = "--scheduled-type")
        String scheduledType;

        @Option(names = "--last-status", paramLabel = "SUCCESS|SKIP|FAIL")
        String lastStatus;

        @Override
        public Integer call() {
            Session session = Session.current();
            Query query = page.addTo(new Query().add("task_name", taskName).add("task_type", taskType)
                    .add("scheduled_type", scheduledType).add("last_status", lastStatus));
            ApiClient.Response response = session.api().get(session.path("/scheduled-tasks") + query);
            PrintWriter out = spec.commandLine().getOut();
            if (output.printedAsJson(response.body(), out)) {
                return 0;
            }
            ScheduledTaskList list = response.as(ScheduledTaskList.class);
            Table table = new Table("ID", "NAME", "TASK", "SCHEDULE", "NEXT", "ZONE", "LAST", "ENABLED");
            for (ScheduledTaskSummary task : list.scheduledTasks()) {
                table.add(task.id(), task.taskName(), task.taskType(),
                        task.lifeCycleType() == null ? task.scheduledType() : task.lifeCycleType(),
                        task.nextExecutionTime(), task.timeZone(), task.lastStatus(), task.enable() ? "yes" : "no");
            }
            out.print(table.render());
            out.print(PageOptions.more(table.size(), list.totalCount()));
            return 0;
        }
    }

    @Command(name = "create", sortOptions = false, description = "Creates a scheduled task; prints its id.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ScheduleFields when;
        @Mixin
        TaskFields what;

        @Override
        public Integer call() {
            requireNoConflict(spec, what);
            Session session = Session.current();
            String id = session.api().post(session.path("/scheduled-tasks"), body(when, what, null))
                    .as(TaskIdResponse.class).taskId();
            spec.commandLine().getOut().println(id);
            return 0;
        }
    }

    @Command(name = "modify", sortOptions = false,
            description = "Changes the given fields of a scheduled task; the others keep their stored values.")
    static final class Modify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;
        @Mixin
        ScheduleFields when;
        @Mixin
        TaskFields what;

        @Option(names = "--clear-targets", description = "Remove every apply object (apply_object_update_type CLEAR_ALL).")
        boolean clearTargets;

        @Override
        public Integer call() {
            requireNoConflict(spec, what);
            if (clearTargets && what.applyObjects() != null) {
                throw new ParameterException(spec.commandLine(), "--clear-targets cannot be combined with targets");
            }
            Session session = Session.current();
            session.api().put(session.path("/scheduled-tasks/" + Query.segment(taskId)),
                    body(when, what, clearTargets ? "CLEAR_ALL" : null));
            spec.commandLine().getOut().println("modified " + taskId);
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes scheduled tasks; several ids are deleted all or none.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(arity = "1..*", paramLabel = "TASK_ID")
        List<String> taskIds;

        @Override
        public Integer call() {
            Session session = Session.current();
            if (taskIds.size() == 1) {
                session.api().delete(session.path("/scheduled-tasks/" + Query.segment(taskIds.get(0))));
            } else {
                session.api().post(session.path("/scheduled-tasks/batch-delete"), new BatchDeleteRequest(taskIds));
            }
            taskIds.forEach(id -> spec.commandLine().getOut().println("deleted " + id));
            return 0;
        }
    }

    @Command(name = "preview", sortOptions = false,
            description = "Shows the next fire times of a schedule without saving anything (POST future-executions).")
    static final class Preview implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ScheduleFields when;
        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            Session session = Session.current();
            ApiClient.Response response = session.api().post(session.path("/scheduled-tasks/future-executions"),
                    body(when, new TaskFields(), null));
            PrintWriter out = spec.commandLine().getOut();
            if (output.printedAsJson(response.body(), out)) {
                return 0;
            }
            List<String> times = response.as(FutureExecutions.class).futureExecutions();
            if (times == null || times.isEmpty()) {
                out.println("(no future executions)");
                return 0;
            }
            String zone = when.timeZone == null ? "UTC" : when.timeZone;
            times.forEach(time -> out.println(time + "  " + zone));
            return 0;
        }
    }
}
