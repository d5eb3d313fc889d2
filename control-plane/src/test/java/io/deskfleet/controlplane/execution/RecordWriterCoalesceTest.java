package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordWriterCoalesceTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final StepOutcome OK = new StepOutcome(RecordStatus.SUCCESS, "0", null, 0);

    @Test
    void aStartIsDroppedOnlyWhenItsRecordFinishesInTheSameBatchWithAStartTime() {
        var startedA = new RecordChange.Started("t", "a", 1, T0);
        var finishedA = new RecordChange.Finished("t", "a", 1, OK, "out", false, T0, T0.plusMillis(5), true, false);
        var startedB = new RecordChange.Started("t", "b", 2, T0);
        var startedC = new RecordChange.Started("t", "c", 3, T0);
        var finishedCWithoutStart = new RecordChange.Finished("t", "c", 3, OK, null, false, null, T0.plusMillis(5), true, false);

        List<RecordChange> written = RecordWriter.coalesce(List.of(startedA, startedB, finishedA, startedC,
                finishedCWithoutStart));

        assertEquals(List.of(startedB, finishedA, startedC, finishedCWithoutStart), written);
    }

    @Test
    void onlyTheLastStateOfATaskIsWrittenAndItKeepsAnEndTimeSetEarlier() {
        var finished = new RecordChange.TaskState("t", TaskStatus.SUCCESS, new TaskCounts(2, 0, 0), T0);
        var later = new RecordChange.TaskState("t", TaskStatus.SUCCESS, new TaskCounts(2, 0, 0), null);
        var started = new RecordChange.Started("t", "a", 1, T0);

        List<RecordChange> written = RecordWriter.coalesce(List.of(finished, started, later));

        assertEquals(List.of(started, new RecordChange.TaskState("t", TaskStatus.SUCCESS, new TaskCounts(2, 0, 0), T0)),
                written);
    }
}
