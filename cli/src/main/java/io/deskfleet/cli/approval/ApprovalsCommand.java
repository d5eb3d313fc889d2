package io.deskfleet.cli.approval;

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
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "approvals", description = {
        "Tasks held because they target a protected pool or tag: list them, approve or reject them.",
        "A held task is WAITING until a second admin (not the one who started it) approves it."},
        subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Approve.class,
                ApprovalsCommand.Reject.class})
public final class ApprovalsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: list, approve or reject");
    }

    static String path(Session session, String taskId, String decision) {
        return session.path("/approvals/" + Query.segment(taskId) + "/" + decision);
    }

    /** One line saying what the decision did, from the approval the API answered. */
    static String decided(Approval approval) {
        return "Task " + approval.taskId() + " " + approval.status() + " by " + approval.decidedBy()
                + (approval.reason() == null ? "." : ": " + approval.reason());
    }

    @Command(name = "list", description = "Lists approvals, newest first; --status PENDING_APPROVAL shows the queue.")
    static final class ListApprovals implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        OutputOptions output;
        @Mixin
        PageOptions page;

        @Option(names = "--status", paramLabel = "PENDING_APPROVAL|APPROVED|REJECTED|EXPIRED")
        String status;

        @Override
        public Integer call() {
            Session session = Session.current();
            ApiClient.Response response = session.api()
                    .get(session.path("/approvals") + page.addTo(new Query().add("status", status)));
            PrintWriter out = spec.commandLine().getOut();
            if (output.printedAsJson(response.body(), out)) {
                return 0;
            }
            Approval.Page list = response.as(Approval.Page.class);
            Table table = new Table("TASK", "STATUS", "REQUESTED_BY", "DESKTOPS", "REQUESTED", "EXPIRES", "DECIDED_BY",
                    "REASON");
            for (Approval a : list.approvals()) {
                table.add(a.taskId(), a.status(), a.requestedBy(), a.protectedDesktopCount(), a.requestedAt(),
                        a.expiresAt(), a.decidedBy(), a.reason());
            }
            out.print(table.render());
            out.print(PageOptions.more(table.size(), list.totalCount()));
            return 0;
        }
    }

    @Command(name = "approve", description = "Approves a held task, which then starts; you may not approve your own.")
    static final class Approve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TASK_ID")
        String taskId;

        @Override
        public Integer call() {
            Session session = Session.current();
            Approval approval = session.api().post(path(session, taskId, "approve"), Map.of()).as(Approval.class);
            spec.commandLine().getOut().println(decided(approval));
            return 0;
        }
    }

    @Command(name = "reject", description = "Rejects a held task (or withdraws your own): it ends CANCELLED, nothing runs.")
    static final class Reject implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TASK_ID")
        String taskId;

        @Option(names = "--reason", required = true, description = "Why, at most 1024 characters; kept with the approval.")
        String reason;

        @Override
        public Integer call() {
            Session session = Session.current();
            Approval approval = session.api().post(path(session, taskId, "reject"), new Approval.RejectBody(reason))
                    .as(Approval.class);
            spec.commandLine().getOut().println(decided(approval));
            return 0;
        }
    }
}
