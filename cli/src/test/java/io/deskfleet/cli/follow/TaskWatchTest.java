package io.deskfleet.cli.follow;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.api.execution.ScriptExecutionTask;
import io.deskfleet.api.execution.TaskScript;
import io.deskfleet.api.execution.TaskStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskWatchTest {

    static ScriptExecutionRecord record(String id, String desktop, int order, RecordStatus status) {
        return record(id, null, desktop, order, status);
    }

    static ScriptExecutionRecord record(String id, String scriptId, String desktop, int order, RecordStatus status) {
        return new ScriptExecutionRecord(id, scriptId, null, "t1", desktop, "name-" + desktop, "DESKTOP", null, null,
                status, order, null, null, null);
    }

    @Test
    void batchesCountDesktopsAsTheirRecordsChange() {
        TaskWatch watch = new TaskWatch("t1");
        watch.record(record("r1", "d1", 1, RecordStatus.WAITING));
        watch.record(record("r2", "d2", 1, RecordStatus.WAITING));
        watch.record(record("r3", "d3", 2, RecordStatus.WAITING));
        assertEquals(List.of(new Batch(1, 2, 0, 0, 0), new Batch(2, 1, 0, 0, 0)), watch.batches());

        watch.record(record("r1", "d1", 1, RecordStatus.RUNNING));
        watch.record(record("r1", "d1", 1, RecordStatus.FAILED));
        watch.record(record("r2", "d2", 1, RecordStatus.SUCCESS));
        watch.record(record("r3", "d3", 2, RecordStatus.SKIPPED));
        assertEquals(List.of(new Batch(1, 2, 1, 1, 0), new Batch(2, 1, 0, 0, 1)), watch.batches());
    }

    @Test
    void aDesktopIsDoneOnlyWhenAllItsScriptsAre() {
        TaskWatch watch = new TaskWatch("t1");
        watch.record(record("a", "s1", "d1", 0, RecordStatus.SUCCESS));
        watch.record(record("b", "s2", "d1", 0, RecordStatus.RUNNING));
        assertEquals(List.of(new Batch(0, 1, 0, 0, 0)), watch.batches());
        watch.record(record("b", "s2", "d1", 0, RecordStatus.TIMEOUT));
        assertEquals(List.of(new Batch(0, 1, 0, 1, 0)), watch.batches());
    }

    @Test
    void aReplayedSnapshotChangesNothing() {
        TaskWatch watch = new TaskWatch("t1");
        List<ScriptExecutionRecord> snapshot = List.of(record("r1", "d1", 1, RecordStatus.SUCCESS),
                record("r2", "d2", 2, RecordStatus.RUNNING), record("r3", "d3", 2, RecordStatus.CANCELLED));
        snapshot.forEach(watch::record);
        List<Batch> once = watch.batches();
        snapshot.forEach(watch::record);
        assertEquals(once, watch.batches());
    }

    /** Any order of events ends with the same counts as a fresh count of the final states. */
    @Test
    void countsMatchARecountWhateverTheEventOrder() {
        RecordStatus[] finals = {RecordStatus.SUCCESS, RecordStatus.FAILED, RecordStatus.TIMEOUT,
                RecordStatus.UNDELIVERABLE, RecordStatus.SKIPPED, RecordStatus.CANCELLED};
        for (long seed = 1; seed <= 50; seed++) {
            Random random = new Random(seed);
            List<ScriptExecutionRecord> events = new ArrayList<>();
            List<ScriptExecutionRecord> last = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                int order = d < 5 ? 1 : 2;
                for (int s = 0; s < 1 + random.nextInt(3); s++) {
                    String id = "r" + d + "-" + s;
                    events.add(record(id, "s" + s, "d" + d, order, RecordStatus.WAITING));
                    events.add(record(id, "s" + s, "d" + d, order, RecordStatus.RUNNING));
                    ScriptExecutionRecord end = record(id, "s" + s, "d" + d, order, finals[random.nextInt(finals.length)]);
                    events.add(end);
                    last.add(end);
                }
            }
            // shuffle, then re-apply the final states: a reconnect's snapshot after events in any order
            Collections.shuffle(events, random);
            TaskWatch watch = new TaskWatch("t1");
            events.forEach(watch::record);
            last.forEach(watch::record);

            TaskWatch recount = new TaskWatch("t1");
            last.forEach(recount::record);
            assertEquals(recount.batches(), watch.batches(), "seed " + seed);
            int desktops = watch.batches().stream().mapToInt(Batch::desktops).sum();
            int done = watch.batches().stream().mapToInt(Batch::done).sum();
            assertEquals(30, desktops, "seed " + seed);
            assertEquals(30, done, "seed " + seed);
        }
    }

    @Test
    void theDecisiveRecordOfADesktopIsItsFailureElseItsLastScript() {
        TaskWatch watch = new TaskWatch("t1");
        watch.task(new ScriptExecutionTask("t1", List.of(new TaskScript("s1", "one"), new TaskScript("s2", "two")),
                "DESKTOP", List.of("d1", "d2"), List.of(), 1, 1, 0, null, null, TaskStatus.FAILED));
        watch.record(record("a1", "s1", "d1", 0, RecordStatus.FAILED));
        watch.record(record("a2", "s2", "d1", 0, RecordStatus.SKIPPED));
        watch.record(record("b1", "s1", "d2", 0, RecordStatus.SUCCESS));
        watch.record(record("b2", "s2", "d2", 0, RecordStatus.SUCCESS));
        assertEquals(List.of("a1", "b2"), watch.decisiveRecords().stream().map(ScriptExecutionRecord::id).toList());
    }

    @Test
    void rowsAreOrderedGrayFirstThenByDesktopName() {
        TaskWatch watch = new TaskWatch("t1");
        watch.record(record("r1", "z", 2, RecordStatus.SUCCESS));
        watch.record(record("r2", "b", 1, RecordStatus.SUCCESS));
        watch.record(record("r3", "a", 2, RecordStatus.SUCCESS));
        assertEquals(List.of("r2", "r3", "r1"), watch.decisiveRecords().stream().map(ScriptExecutionRecord::id).toList());
    }

    @Test
    void batchSizesComeFromTheTasksTargetsBeforeAnyRecord() {
        TaskWatch watch = new TaskWatch("t1");
        watch.task(new ScriptExecutionTask("t1", List.of(), "DESKTOP", List.of("d1", "d2", "d3", "d4"), List.of("d1"),
                0, 0, 0, null, null, TaskStatus.RUNNING));
        assertEquals(List.of(new Batch(1, 1, 0, 0, 0), new Batch(2, 3, 0, 0, 0)), watch.batches());
        watch.record(record("r2", "d2", 2, RecordStatus.SUCCESS));
        assertEquals(List.of(new Batch(1, 1, 0, 0, 0), new Batch(2, 3, 1, 0, 0)), watch.batches());

        TaskWatch noGray = new TaskWatch("t2");
        noGray.task(new ScriptExecutionTask("t2", List.of(), "DESKTOP", List.of("d1", "d2"), List.of(),
                0, 0, 0, null, null, TaskStatus.RUNNING));
        assertEquals(List.of(new Batch(0, 2, 0, 0, 0)), noGray.batches());
    }

    @Test
    void aRecordsFirstFailureIsToldOnceAcrossAReplayedSnapshot() {
        TaskWatch watch = new TaskWatch("t1");
        assertFalse(watch.record(record("r1", "d1", 0, RecordStatus.RUNNING)));
        assertTrue(watch.record(record("r1", "d1", 0, RecordStatus.FAILED)));
        assertFalse(watch.record(record("r1", "d1", 0, RecordStatus.FAILED)), "the snapshot after a reconnect");
        assertFalse(watch.record(record("r2", "d2", 0, RecordStatus.SKIPPED)));
        assertTrue(watch.record(record("r3", "d3", 0, RecordStatus.UNDELIVERABLE)));
    }
}
