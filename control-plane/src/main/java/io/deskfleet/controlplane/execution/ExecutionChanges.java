package io.deskfleet.controlplane.execution;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which records and tasks one committed batch of {@link RecordWriter} touched, for listeners that read their new
 * state (the live event streams). Ids only: the committed rows are the truth.
 *
 * @param recordIds        records that started or finished, or got a late result
 * @param closedDesktops   per task, desktops whose waiting records were closed (skipped or cancelled)
 * @param taskIds          tasks whose status or counts were written (also by a recount after a late result)
 * @param finishedTaskIds  tasks that got their end time (no record of theirs changes any more)
 */
public record ExecutionChanges(Set<String> recordIds, Map<String, Set<String>> closedDesktops, Set<String> taskIds,
                               Set<String> finishedTaskIds) {

    static ExecutionChanges of(List<RecordChange> batch, Set<String> lateRecords, Set<String> recountedTasks) {
        Set<String> records = new LinkedHashSet<>(lateRecords);
        Map<String, Set<String>> closed = new LinkedHashMap<>();
        Set<String> tasks = new LinkedHashSet<>(recountedTasks);
        Set<String> finished = new LinkedHashSet<>();
        for (RecordChange change : batch) {
            if (change instanceof RecordChange.Started s) {
                records.add(s.recordId());
            } else if (change instanceof RecordChange.Finished f) {
                records.add(f.recordId());

            } else if (change instanceof RecordChange.Closed c) {
                closed.computeIfAbsent(c.taskId(), t -> new LinkedHashSet<>()).addAll(c.desktopIds());
            } else if (change instanceof RecordChange.TaskState t) {
                tasks.add(t.taskId());
                if (t.endTime() != null) {
                    finished.add(t.taskId());
                }
            }
        }
        return new ExecutionChanges(records, closed, tasks, finished);
    }
}
