package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.InvocationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * An agent's InvocationResult. The result of a command in flight settles its step. A result for an invocation no
 * longer in flight is a late one: if a deadline decided its record, the result replaces that provisional outcome and
 * the task's counts follow: here, if the engine still runs the task, otherwise by a recount in the writer. A copy of
 * a result already recorded (resent after a reconnect), or an id that is not this desktop's, changes nothing. Either
 * way the agent is acknowledged once the writes queued before it are committed, so it stops resending, and a result
 * an agent reports is never thrown away. Runs on the engine's loop.
 */
final class ResultProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ResultProcessor.class);

    private final EngineState state;
    private final ProgressApplier applier;
    private final RecordWriter writer;
    private final Deadlines deadlines;

    ResultProcessor(EngineState state, ProgressApplier applier, RecordWriter writer, Deadlines deadlines) {
        this.state = state;
        this.applier = applier;
        this.writer = writer;
        this.deadlines = deadlines;
    }

    /** @param stored completed once the result is committed (or known to change nothing): then the agent is acked */
    void onResult(String desktopId, InvocationResult result, CompletableFuture<Void> stored) {
        InflightCommand command = state.inflight(result.getInvocationId());
        if (command == null) {
            late(desktopId, result).whenComplete((v, e) -> stored.complete(null));
            return;
        }
        if (!command.desktopId.equals(desktopId)) {
            LOG.warn("desktop={} reported invocation={} of desktop={}; ignored", desktopId, command.recordId,
                    command.desktopId);
            stored.complete(null);
            return;
        }
        String output = output(result);
        Instant startedAt = result.getStartedAtUnixMs() > 0 ? Instant.ofEpochMilli(result.getStartedAtUnixMs())
                : command.startedAt;
        StepOutcome outcome = StepOutcome.of(result, command.task.definition.executionTimeoutMinutes());
        applier.finish(command, outcome, output, truncated(result, output), startedAt, endedAt(result), true)
                .whenComplete((v, e) -> stored.complete(null));
    }

    private CompletableFuture<Void> late(String desktopId, InvocationResult result) {
        String id = result.getInvocationId();
        EngineState.Provisional decided = state.provisional(id);
        boolean ours = decided != null && decided.desktopId().equals(desktopId);
        String output = output(result);
        StepOutcome outcome = StepOutcome.of(result,
                ours ? decided.task().definition.executionTimeoutMinutes() : 0);
        Instant startedAt = result.getStartedAtUnixMs() > 0 ? Instant.ofEpochMilli(result.getStartedAtUnixMs()) : null;
        writer.submit(new RecordChange.Reported(id, desktopId, outcome, output, truncated(result, output), startedAt,
                endedAt(result), !ours));
        if (!ours) {
            return writer.barrier();
        }
        state.replaced(id, decided);
        LOG.info("task={} desktop={} invocation={} late result {} replaces a deadline's outcome",
                decided.task().id(), desktopId, id, outcome.status());
        return applier.apply(decided.task(), decided.task().progress.onLateResult(desktopId, decided.step(),
                outcome.status()));
    }

    private static String output(InvocationResult result) {
        String output = storable(result.getOutput());
        return output.length() > CommandMessages.MAX_OUTPUT_CHARS
                ? output.substring(0, CommandMessages.MAX_OUTPUT_CHARS) : output;
    }

    private static boolean truncated(InvocationResult result, String storedOutput) {
        return result.getOutputTruncated() || storedOutput.length() < result.getOutput().length();
    }

    private Instant endedAt(InvocationResult result) {
        return result.getFinishedAtUnixMs() > 0 ? Instant.ofEpochMilli(result.getFinishedAtUnixMs()) : deadlines.now();
    }

    /** PostgreSQL text cannot hold NUL, which binary output contains: it is shown as U+FFFD instead. */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}
