package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionRecordListResponse;
import io.deskfleet.api.execution.ScriptExecutionTaskListResponse;
import io.deskfleet.cli.CliFailure;
import io.deskfleet.cli.ExitCodes;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.follow.Batch;
import io.deskfleet.cli.follow.OutputChunk;
import io.deskfleet.cli.follow.TaskFollower;
import io.deskfleet.cli.follow.TaskListener;
import io.deskfleet.cli.follow.TaskWatch;
import io.deskfleet.cli.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "output", description = {
        "Prints the whole output of a task's desktops (stdout and stderr as printed), not only the excerpt.",
        "One record: its bytes as stored. Several: each under a '==> desktop (script) STATUS <==' header, in batch "
                + "order; with --follow, line by line as they arrive, each line after 'desktop | '.",
        "--follow prints what is stored, then the rest live, and returns once every shown record has ended."})
public final class OutputCommand implements Callable<Integer> {
    /** Records read per request while listing a task's records (the API's maximum). */
    static final int PAGE = 100;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TASK_ID")
    String taskId;

    @Option(names = "--desktop", paramLabel = "DESKTOP", description = "Only this desktop (its id or its name).")
    String desktop;

    @Option(names = {"-f", "--follow"}, description = "Keep printing as the output grows, until the records end.")
    boolean follow;

    @Override
    public Integer call() {
        Session session = Session.current();
        List<ScriptExecutionRecord> records = selected(session);
        // The bytes go out as stored: System.out unwrapped, so the platform's charset cannot alter them.
        spec.commandLine().getOut().flush();
        PrintStream out = System.out;
        PrintWriter err = spec.commandLine().getErr();
        List<RecordOutput> outputs = outputs(session, records, out);
        if (follow) {
            new TaskFollower(session, new Follower(session, outputs, err)).follow(new TaskWatch(taskId));
            return ExitCodes.OK;
        }
        for (RecordOutput output : outputs) {
            boolean finished = output.record.status().isTerminal();
            if (outputs.size() > 1) {
                out.print((output == outputs.get(0) ? "" : "\n") + "==> " + output.name() + " "
                        + output.record.status() + " <==\n");
                out.flush();
            }
            output.catchUp(session.api(), finished, message -> note(err, message));
            ScriptExecutionRecord record = output.record;
            if (output.printed() == 0 && record.status() != RecordStatus.SUCCESS && record.reason() != null) {
                // nothing to show: say why, e.g. a desktop the gray batch's failure skipped
                note(err, "(" + output.name() + " " + record.status() + ": " + record.reason() + ")");
            }
            if (!finished) {
                note(err, "(" + output.name() + " is " + output.record.status()
                        + "; 'deskfleet output " + taskId + " --follow' prints the rest as it comes)");
            }
        }
        return ExitCodes.OK;
    }

    /** The task's records, all pages, narrowed to --desktop; a task or desktop that has none is an error. */
    private List<ScriptExecutionRecord> selected(Session session) {
        List<ScriptExecutionRecord> all = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            ScriptExecutionRecordListResponse page = session.api().get(session.path("/script-execution-records")
                    + new Query().add("script_task_id", taskId).add("offset", offset).add("limit", PAGE))
                    .as(ScriptExecutionRecordListResponse.class);
            all.addAll(page.scriptRecords());
            if (page.scriptRecords().isEmpty() || all.size() >= page.count()) {
                break;
            }
        }
        if (all.isEmpty()) {
            long tasks = session.api().get(session.path("/script-execution-tasks") + new Query().add("task_id", taskId))
                    .as(ScriptExecutionTaskListResponse.class).count();
            throw new CliFailure(ExitCodes.API_ERROR, tasks == 0 ? "task " + taskId + " does not exist"
                    : "task " + taskId + " has no records");
        }
        if (desktop == null) {
            return all;
        }
        List<ScriptExecutionRecord> mine = all.stream()
                .filter(r -> desktop.equals(r.resourceId()) || desktop.equals(r.resourceName())).toList();
        if (mine.isEmpty()) {
            throw new CliFailure(ExitCodes.API_ERROR, "task " + taskId + " did not run on desktop " + desktop);
        }
        return mine;
    }

    /** Labels (desktop, and script when a desktop ran several) only where several records are followed. */
    private List<RecordOutput> outputs(Session session, List<ScriptExecutionRecord> records, PrintStream out) {
        long desktops = records.stream().map(ScriptExecutionRecord::resourceId).distinct().count();
        List<RecordOutput> outputs = new ArrayList<>();
        for (ScriptExecutionRecord record : records) {
            String name = record.resourceName() == null ? record.resourceId() : record.resourceName();
            String script = record.scriptName() == null ? Batch.label(record.executeOrder()) : record.scriptName();
            String label = !follow || records.size() == 1 ? null
                    : desktops == records.size() ? name : desktops == 1 ? script : name + "/" + script;
            outputs.add(new RecordOutput(session, record, label, out));
        }
        return outputs;
    }

    private static void note(PrintWriter err, String message) {
        err.println(message);
        err.flush();
    }

    /**
     * Follows the chosen records over the task's event stream: its output events bring new bytes, its record events
     * say when a record started (print what it wrote before we came) and ended (print the rest once stored whole).
     * A record decided without a result (e.g. UNDELIVERABLE) sends no output events; its end still ends it here.
     */
    private static final class Follower implements TaskListener {
        private final Session session;
        private final Map<String, RecordOutput> outputs = new LinkedHashMap<>();
        private final PrintWriter err;

        Follower(Session session, List<RecordOutput> outputs, PrintWriter err) {
            this.session = session;
            this.err = err;
            outputs.forEach(o -> this.outputs.put(o.record.id(), o));
        }

        @Override
        public void updated(TaskWatch watch, boolean ended) {
            if (ended) {
                outputs.values().forEach(o -> o.catchUp(session.api(), true, this::note));
            }
        }

        @Override
        public void note(String message) {
            OutputCommand.note(err, message);
        }

        @Override
        public void record(ScriptExecutionRecord record, boolean firstFailure) {
            RecordOutput output = outputs.get(record.id());
            if (output != null && !output.done() && record.status() != RecordStatus.WAITING) {
                output.catchUp(session.api(), record.status().isTerminal(), this::note);
            }
        }

        @Override
        public void output(OutputChunk chunk) {
            RecordOutput output = outputs.get(chunk.recordId());
            if (output == null || output.done()) {
                return;
            }
            if (!output.continues(chunk.offset())) {
                output.catchUp(session.api(), false, this::note);
                return;
            }
            output.received(chunk.offset(), chunk.output().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean satisfied() {
            return outputs.values().stream().allMatch(RecordOutput::done);
        }
    }
}
