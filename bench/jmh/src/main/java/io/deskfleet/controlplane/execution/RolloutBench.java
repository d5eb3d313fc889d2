package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.api.execution.RecordStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rollout engine's pure work for one fan-out as the bench runs it (gray_count 100, threshold 1, then the rest):
 * planning the batches, and driving {@link TaskProgress} from start to SUCCESS with every desktop's step reported
 * once. Divide by the desktop count for the cost per desktop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RolloutBench {
    @Param({"1000", "10000"})
    int desktops;

    private List<String> targets;
    private RolloutPlan plan;

    @Setup
    public void setUp() {
        targets = new ArrayList<>(desktops);
        for (int i = 0; i < desktops; i++) {
            targets.add(String.format("%08x-0000-4000-8000-%012d", i, i));
        }
        plan = plan();
    }

    @Benchmark
    public RolloutPlan plan() {
        return RolloutPlanner.plan(targets, new GraySpec.Count(100, 1), MaxConcurrency.UNLIMITED);
    }

    /** Start, then one SUCCESS per dispatched step until the task is over; returns the final counts. */
    @Benchmark
    public TaskCounts wholeRollout() {
        TaskProgress progress = new TaskProgress(plan, 1);
        Deque<Dispatch> running = new ArrayDeque<>(progress.start().dispatches());
        while (!running.isEmpty()) {
            Dispatch done = running.poll();
            running.addAll(progress.onStepFinished(done.desktopId(), done.step(), RecordStatus.SUCCESS).dispatches());
        }
        if (!progress.isFinished()) {
            throw new IllegalStateException("rollout did not finish: " + progress.status());
        }
        return progress.counts();
    }
}
