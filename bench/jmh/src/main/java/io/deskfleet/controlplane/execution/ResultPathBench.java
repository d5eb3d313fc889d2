package io.deskfleet.controlplane.execution;

import com.google.protobuf.InvalidProtocolBufferException;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.RunCommand;
import io.deskfleet.api.execution.TaskStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-message work around one desktop's step: encoding the RunCommand the engine sends, decoding the agent's
 * InvocationResult into the record change the writer stores, and the writer's batch building (coalescing a
 * 10,000-desktop batch of starts, results and task states, as a fast fleet produces between two commits).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResultPathBench {
    static final int BATCH_DESKTOPS = 10_000;

    private String recordId;
    private byte[] resultBytes;
    private List<RecordChange> batch;

    @Setup
    public void setUp() {
        recordId = RecordIds.CURRENT.of("6f1c2a3b-0000-4000-8000-000000000001",
                "00000001-0000-4000-8000-000000000001", 0);
        resultBytes = InvocationResult.newBuilder().setInvocationId(recordId).setStatus(InvocationStatus.INVOCATION_STATUS_EXITED)
                .setExitCode(0).setOutput("desk-0001\n").setStartedAtUnixMs(1_900_000_000_000L)
                .setFinishedAtUnixMs(1_900_000_000_004L).build().toByteArray();
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        StepOutcome ok = new StepOutcome(io.deskfleet.api.execution.RecordStatus.SUCCESS, "0", null, 0);
        batch = new ArrayList<>(3 * BATCH_DESKTOPS);
        for (int i = 0; i < BATCH_DESKTOPS; i++) {
            String id = RecordIds.CURRENT.of("task", String.format("%08d", i), 0);
            batch.add(new RecordChange.Started(id, t));
            batch.add(new RecordChange.Finished(id, ok, "desk\n", false, t, t.plusMillis(3)));
            batch.add(new RecordChange.TaskState("task", TaskStatus.RUNNING, new TaskCounts(i + 1, 0, 0), null));
        }
    }

    @Benchmark
    public byte[] encodeRunCommand() {
        return ControlMessage.newBuilder().setRun(RunCommand.newBuilder()
                .setInvocationId(recordId)
                .setInterpreter(Interpreter.INTERPRETER_SHELL)
                .setContent("hostname")
                .setTimeoutSeconds(3600)
                .setMaxOutputBytes(CommandMessages.MAX_OUTPUT_CHARS)).build().toByteArray();
    }

    @Benchmark
    public RecordChange decodeResult() throws InvalidProtocolBufferException {
        InvocationResult result = InvocationResult.parseFrom(resultBytes);
        StepOutcome outcome = StepOutcome.of(result, 60);
        return new RecordChange.Finished(result.getInvocationId(), outcome, ResultProcessor.storable(result.getOutput()),
                result.getOutputTruncated(), Instant.ofEpochMilli(result.getStartedAtUnixMs()),
                Instant.ofEpochMilli(result.getFinishedAtUnixMs()));
    }

    /** One writer batch of 30,000 changes (10,000 desktops); divide by 10,000 for the cost per desktop. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<RecordChange> coalesceBatch() {
        return RecordWriter.coalesce(batch);
    }
}
