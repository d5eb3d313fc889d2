package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.ScriptExecutionRecordDetail;
import io.deskfleet.api.execution.ScriptExecutionRecordListResponse;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.follow.Batch;
import io.deskfleet.cli.follow.RecordDetails;
import io.deskfleet.cli.follow.ResultTable;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.http.Query;
import io.deskfleet.cli.output.OutputOptions;
import io.deskfleet.cli.output.PageOptions;
import io.deskfleet.cli.output.Table;
import io.deskfleet.cli.output.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "records", description = {
        "Lists the execution records of a task: one per desktop and script, with whole ids, the first line of each "
                + "output, and the skip or failure reason.",
        "A reason is cut only at the terminal's width, never in a pipe; 'deskfleet output' prints whole outputs."})
public final class RecordsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    PageOptions page;

    @Option(names = "--task", required = true, paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--status", paramLabel = "STATUS", description = "e.g. FAILED, SUCCESS, SKIPPED")
    String status;

    @Override
    public Integer call() {
        Session session = Session.current();
        Query query = page.addTo(new Query().add("script_task_id", taskId).add("status", status));
        ApiClient.Response response = session.api().get(session.path("/script-execution-records") + query);
        PrintWriter out = spec.commandLine().getOut();
        if (output.printedAsJson(response.body(), out)) {
            return 0;
        }
        ScriptExecutionRecordListResponse list = response.as(ScriptExecutionRecordListResponse.class);
        Table table = Table.whole(Terminal.width(), "ID", "DESKTOP", "SCRIPT", "BATCH", "STATUS", "RESULT", "START",
                "END", "OUTPUT", "REASON");
        // only a record's detail has its output: read a few at a time
        for (ScriptExecutionRecordDetail record : RecordDetails.fetch(session, list.scriptRecords())) {
            table.add(record.id(), record.resourceName() == null ? record.resourceId() : record.resourceName(),
                    record.scriptName() == null ? "(command)" : record.scriptName(),
                    Batch.label(record.executeOrder()), record.status(), record.resultCode(), record.startTime(),
                    record.endTime(), ResultTable.firstLine(record.output()), record.reason());
        }
        out.print(table.render());
        out.print(PageOptions.more(table.size(), list.count()));
        return 0;
    }
}
