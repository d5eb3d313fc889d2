package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Refused;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.deskfleet.api.execution.RecordStatus.CANCELLED;
import static io.deskfleet.api.execution.RecordStatus.FAILED;
import static io.deskfleet.api.execution.RecordStatus.SKIPPED;
import static io.deskfleet.api.execution.RecordStatus.SUCCESS;
import static io.deskfleet.api.execution.RecordStatus.TIMEOUT;
import static io.deskfleet.controlplane.execution.RolloutPlannerTest.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskProgressTest {

    private static TaskProgress progress(int desktops, GraySpec gray, String maxConcurrency, int steps) {
        MaxConcurrency concurrency = maxConcurrency == null ? MaxConcurrency.UNLIMITED
                : MaxConcurrency.parse(maxConcurrency);
        return new TaskProgress(RolloutPlanner.plan(ids(desktops), gray, concurrency), steps);
    }

    private static List<String> dispatched(ProgressUpdate update) {
        return update.dispatches().stream().map(Dispatch::desktopId).toList();
    }

    private static RecordStatus exit(int code) {
        return StepOutcome.of(InvocationResult.newBuilder().setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setExitCode(code)
                .build(), 1).status();
    }

    @Test
    void grayBatchPassesThenTheRestRuns() {
        TaskProgress task = progress(5, new GraySpec.Count(2, 1), null, 1);
        assertEquals(TaskStatus.WAITING, task.status());

        ProgressUpdate started = task.start();
        assertEquals(List.of(new Dispatch("d01", 0, ExecuteOrder.GRAY), new Dispatch("d02", 0, ExecuteOrder.GRAY)),
                started.dispatches());
        assertEquals(TaskStatus.RUNNING, started.status());

        assertEquals(List.of(), task.onStepFinished("d01", 0, exit(0)).dispatches(), "gray batch not over yet");
        ProgressUpdate grayDone = task.onStepFinished("d02", 0, exit(0));
        assertEquals(List.of("d03", "d04", "d05"), dispatched(grayDone));
        assertTrue(grayDone.dispatches().stream().allMatch(d -> d.order() == ExecuteOrder.NON_GRAY));

        task.onStepFinished("d03", 0, SUCCESS);
        task.onStepFinished("d05", 0, SUCCESS);
        ProgressUpdate last = task.onStepFinished("d04", 0, SUCCESS);
        assertTrue(last.finished());
        assertEquals(TaskStatus.SUCCESS, last.status());
        assertEquals(new TaskCounts(5, 0, 0), last.counts());
    }

    @Test
    void aGrayExitCode3WithThreshold1SkipsTheRestAndFailsTheTask() {
        TaskProgress task = progress(5, new GraySpec.Count(2, 1), null, 1);
        task.start();

        ProgressUpdate failed = task.onStepFinished("d01", 0, exit(3));
        assertEquals(List.of(), failed.dispatches());
        assertEquals(1, failed.closed().size());
        ClosedSteps skipped = failed.closed().get(0);
        assertEquals(SKIPPED, skipped.status());
        assertEquals(List.of("d03", "d04", "d05"), skipped.desktopIds());
        assertEquals("gray batch: 1 desktop(s) failed, reaching gray_fail_threshold 1", skipped.reason());
        assertFalse(failed.finished(), "d02 still runs");
        assertEquals(TaskStatus.RUNNING, failed.status());

        ProgressUpdate last = task.onStepFinished("d02", 0, SUCCESS);
        assertEquals(List.of(), last.dispatches());
        assertTrue(last.finished());
        assertEquals(TaskStatus.FAILED, last.status());
        assertEquals(new TaskCounts(1, 1, 3), last.counts());
        assertEquals(SKIPPED, task.desktopStatus("d04"));
        assertEquals(FAILED, task.desktopStatus("d01"));
    }

    @Test
    void twoOfThreeGrayFailuresHaltWithThreshold2() {
        TaskProgress task = progress(6, new GraySpec.Count(3, 2), null, 1);
        task.start();
        assertEquals(List.of(), task.onStepFinished("d01", 0, FAILED).closed(), "one failure is below threshold");
        task.onStepFinished("d02", 0, SUCCESS);
        ProgressUpdate halted = task.onStepFinished("d03", 0, TIMEOUT);
        assertEquals(List.of("d04", "d05", "d06"), halted.closed().get(0).desktopIds());
        assertEquals(List.of(), halted.dispatches());
        assertTrue(halted.finished());
        assertEquals(TaskStatus.FAILED, halted.status());
        assertEquals(new TaskCounts(1, 2, 3), halted.counts());
    }

    @Test
    void twoOfThreeGrayFailuresContinueWithThreshold3() {
        TaskProgress task = progress(6, new GraySpec.Count(3, 3), null, 1);
        task.start();
        task.onStepFinished("d01", 0, FAILED);
        task.onStepFinished("d02", 0, SUCCESS);
        ProgressUpdate grayDone = task.onStepFinished("d03", 0, FAILED);
        assertEquals(List.of("d04", "d05", "d06"), dispatched(grayDone));
        assertEquals(List.of(), grayDone.closed());
        task.onStepFinished("d04", 0, SUCCESS);
        task.onStepFinished("d05", 0, SUCCESS);
        ProgressUpdate last = task.onStepFinished("d06", 0, SUCCESS);
        assertTrue(last.finished());
        assertEquals(TaskStatus.FAILED, last.status(), "a task with failed desktops is FAILED");
        assertEquals(new TaskCounts(4, 2, 0), last.counts());
    }

    @Test
    void maxConcurrencyRunsOneBatchAfterAnother() {
        TaskProgress task = progress(5, new GraySpec.None(), "2", 1);
        assertEquals(List.of("d01", "d02"), dispatched(task.start()));
        assertEquals(List.of(), task.onStepFinished("d02", 0, FAILED).dispatches());
        ProgressUpdate next = task.onStepFinished("d01", 0, SUCCESS);
        assertEquals(List.of(new Dispatch("d03", 0, ExecuteOrder.DEFAULT), new Dispatch("d04", 0, ExecuteOrder.DEFAULT)),
                next.dispatches());
        task.onStepFinished("d03", 0, SUCCESS);
        assertEquals(List.of("d05"), dispatched(task.onStepFinished("d04", 0, SUCCESS)));
        ProgressUpdate last = task.onStepFinished("d05", 0, SUCCESS);
        assertTrue(last.finished());
        assertEquals(new TaskCounts(4, 1, 0), last.counts());
    }

    @Test
    void stopMidRunCancelsPendingAndKillsRunning() {
        TaskProgress task = progress(6, new GraySpec.None(), "2", 1);
        task.start();
        task.onStepFinished("d01", 0, SUCCESS);

        ProgressUpdate stopped = task.stop();
        assertEquals(List.of("d02"), stopped.kills());
        assertEquals(List.of(new ClosedSteps(CANCELLED, "stopped by user", List.of("d03", "d04", "d05", "d06"))),
                stopped.closed());
        assertEquals(TaskStatus.CANCELLED, stopped.status());
        assertFalse(stopped.finished(), "d02 has not confirmed the kill");
        assertEquals(List.of(), task.stop().kills(), "stopping twice changes nothing");

        ProgressUpdate killed = task.onStepFinished("d02", 0, CANCELLED);
        assertEquals(List.of(), killed.dispatches());
        assertTrue(killed.finished());
        assertEquals(TaskStatus.CANCELLED, killed.status());
        assertEquals(new TaskCounts(1, 0, 5), killed.counts());

        Refused again = assertThrows(Refused.class, task::stop);
        assertEquals(Refusal.Reason.INVALID_STATE, again.refusal().reason());
    }

    @Test
    void stopBeforeStartCancelsEverything() {
        TaskProgress task = progress(3, new GraySpec.Count(1, 1), null, 2);
        ProgressUpdate stopped = task.stop();
        assertEquals(List.of("d01", "d02", "d03"), stopped.closed().get(0).desktopIds());
        assertTrue(stopped.finished());
        assertEquals(new TaskCounts(0, 0, 3), stopped.counts());
        assertThrows(IllegalStateException.class, task::start);
    }

    @Test
    void severalScriptsRunInOrderAndStopAtTheFirstFailure() {
        TaskProgress task = progress(2, new GraySpec.None(), null, 3);
        assertEquals(List.of(new Dispatch("d01", 0, ExecuteOrder.DEFAULT), new Dispatch("d02", 0, ExecuteOrder.DEFAULT)),
                task.start().dispatches());

        assertEquals(List.of(new Dispatch("d01", 1, ExecuteOrder.DEFAULT)),
                task.onStepFinished("d01", 0, SUCCESS).dispatches());
        ProgressUpdate failed = task.onStepFinished("d01", 1, exit(2));
        assertEquals(List.of(), failed.dispatches());
        assertEquals(List.of(new ClosedSteps(SKIPPED, "an earlier script on this desktop did not succeed",
                List.of("d01"))), failed.closed());
        assertEquals(FAILED, task.desktopStatus("d01"));
        assertEquals(1, task.currentStep("d01"));

        assertEquals(1, task.onStepFinished("d02", 0, SUCCESS).dispatches().get(0).step());
        assertEquals(2, task.onStepFinished("d02", 1, SUCCESS).dispatches().get(0).step());
        ProgressUpdate last = task.onStepFinished("d02", 2, SUCCESS);
        assertEquals(List.of(), last.closed(), "nothing left to skip after the last script");
        assertTrue(last.finished());
        assertEquals(TaskStatus.FAILED, last.status());
        assertEquals(new TaskCounts(1, 1, 0), last.counts());
    }

    @Test
    void stopBetweenScriptsCancelsTheDesktopsRemainingScripts() {
        TaskProgress task = progress(1, new GraySpec.None(), null, 3);
        task.start();
        assertEquals(List.of("d01"), task.stop().kills());
        ProgressUpdate late = task.onStepFinished("d01", 0, SUCCESS);
        assertEquals(List.of(), late.dispatches());
        assertEquals(List.of(new ClosedSteps(CANCELLED, "stopped by user", List.of("d01"))), late.closed());
        assertEquals(CANCELLED, task.desktopStatus("d01"));
        assertTrue(late.finished());
    }

    @Test
    void duplicateAndStaleResultsChangeNothing() {
        TaskProgress task = progress(2, new GraySpec.None(), null, 2);
        task.start();
        task.onStepFinished("d01", 0, SUCCESS);
        ProgressUpdate duplicate = task.onStepFinished("d01", 0, FAILED);
        assertEquals(List.of(), duplicate.dispatches());
        assertEquals(new TaskCounts(0, 0, 0), duplicate.counts());
        assertEquals(RecordStatus.RUNNING, task.desktopStatus("d01"));
        assertThrows(IllegalArgumentException.class, () -> task.onStepFinished("nope", 0, SUCCESS));
        assertThrows(IllegalArgumentException.class, () -> task.onStepFinished("d01", 1, SKIPPED));
    }

    @Test
    void cancellingOneDesktopLeavesTheRestRunning() {
        TaskProgress task = progress(4, new GraySpec.None(), "2", 1);
        task.start();
        assertEquals(List.of(new ClosedSteps(CANCELLED, "stopped by user", List.of("d04"))),
                task.cancelDesktop("d04").closed());
        assertEquals(List.of("d01"), task.cancelDesktop("d01").kills());
        task.onStepFinished("d01", 0, CANCELLED);
        assertEquals(List.of("d03"), dispatched(task.onStepFinished("d02", 0, SUCCESS)), "d04 never starts");
        ProgressUpdate last = task.onStepFinished("d03", 0, SUCCESS);
        assertTrue(last.finished());
        assertEquals(TaskStatus.SUCCESS, last.status());
        assertEquals(new TaskCounts(2, 0, 2), last.counts());
        assertEquals(Refusal.Reason.INVALID_STATE,
                assertThrows(Refused.class, () -> task.cancelDesktop("d02")).refusal().reason());
    }

    @Test
    void undeliverableGrayDesktopsCountAsGrayFailures() {
        TaskProgress task = progress(3, new GraySpec.Desktops("gray_desktop_ids", List.of("d02"), 1), null, 1);
        assertEquals(List.of(new Dispatch("d02", 0, ExecuteOrder.GRAY)), task.start().dispatches());
        ProgressUpdate halted = task.onStepFinished("d02", 0,
                StepOutcome.undeliverable(Duration.ofMinutes(10)).status());
        assertEquals(List.of("d01", "d03"), halted.closed().get(0).desktopIds());
        assertTrue(halted.finished());
        assertEquals(new TaskCounts(0, 1, 2), halted.counts());
    }

    @Test
    void aLateResultReplacesAProvisionalOutcomeAndTheCountsFollow() {
        TaskProgress task = progress(3, new GraySpec.None(), null, 1);
        task.start();
        task.onStepFinished("d01", 0, RecordStatus.UNKNOWN);
        task.onStepFinished("d02", 0, SUCCESS);
        ProgressUpdate late = task.onLateResult("d01", 0, SUCCESS);
        assertEquals(new TaskCounts(2, 0, 0), late.counts());
        assertEquals(List.of(), late.dispatches());
        assertEquals(SUCCESS, task.desktopStatus("d01"));
        ProgressUpdate last = task.onStepFinished("d03", 0, SUCCESS);
        assertTrue(last.finished());
        assertEquals(TaskStatus.SUCCESS, last.status(), "no failure is left when the task ends");
        assertEquals(new TaskCounts(3, 0, 0), last.counts());
    }

    @Test
    void aLateResultAfterTheTaskEndedRecomputesItsStatusButAHaltStays() {
        TaskProgress single = progress(1, new GraySpec.None(), null, 1);
        single.start();
        assertEquals(TaskStatus.FAILED, single.onStepFinished("d01", 0, TIMEOUT).status());
        ProgressUpdate late = single.onLateResult("d01", 0, SUCCESS);
        assertEquals(TaskStatus.SUCCESS, late.status());
        assertEquals(new TaskCounts(1, 0, 0), late.counts());

        TaskProgress halted = progress(3, new GraySpec.Count(1, 1), null, 1);
        halted.start();
        assertTrue(halted.onStepFinished("d01", 0, RecordStatus.UNKNOWN).halted());
        ProgressUpdate gray = halted.onLateResult("d01", 0, SUCCESS);
        assertEquals(TaskStatus.FAILED, gray.status(), "the rest never ran");
        assertEquals(new TaskCounts(1, 0, 2), gray.counts());
        assertEquals(List.of(), gray.dispatches());
    }

    @Test
    void aLateSuccessOfAnEarlierScriptLeavesTheDesktopFailedSinceItsNextScriptNeverRan() {
        TaskProgress task = progress(1, new GraySpec.None(), null, 2);
        task.start();
        ProgressUpdate timedOut = task.onStepFinished("d01", 0, TIMEOUT);
        assertEquals(SKIPPED, timedOut.closed().get(0).status());
        ProgressUpdate late = task.onLateResult("d01", 0, SUCCESS);
        assertEquals(new TaskCounts(0, 1, 0), late.counts());
        assertEquals(TaskStatus.FAILED, late.status());
        assertEquals(new TaskCounts(0, 1, 0), task.onLateResult("d01", 1, SUCCESS).counts(),
                "a step that never ran is not a late result");
    }

    @Test
    void tenThousandDesktopsRunWithoutQuadraticWork() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            TaskProgress task = progress(10_000, new GraySpec.Count(100, 5), "10%", 2);
            List<Dispatch> wave = task.start().dispatches();
            ProgressUpdate last = null;
            while (!wave.isEmpty()) {
                List<Dispatch> next = new java.util.ArrayList<>();
                for (Dispatch d : wave) {
                    last = task.onStepFinished(d.desktopId(), d.step(), SUCCESS);
                    next.addAll(last.dispatches());
                }
                wave = next;
            }
            assertTrue(last.finished());
            assertEquals(new TaskCounts(10_000, 0, 0), last.counts());
        });
    }
}
