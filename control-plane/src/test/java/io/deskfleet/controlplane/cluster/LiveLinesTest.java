package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.execution.ExecutionChanges;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveLinesTest {
    private static final String TASK = "7f0c3a52-93a4-4a39-9a0e-1f6c1b7d9e01";

    @Test
    void everyKindOfIdSurvivesTheTripThroughTheBus() {
        ExecutionChanges changes = new ExecutionChanges(Set.of("rec-1", "rec-2"), Map.of(TASK, Set.of("desk-3")),
                Set.of(TASK, "task-2"), Set.of("task-2"));
        Map<String, Boolean> online = Map.of("desk-1", true, "desk-2", false);

        LiveLines.Received received = decode(LiveLines.encode("cp1", changes, online), "cp2");

        assertEquals(changes.recordIds(), received.changes().recordIds());
        assertEquals(changes.closedDesktops(), received.changes().closedDesktops());
        assertEquals(changes.taskIds(), received.changes().taskIds());
        assertEquals(changes.finishedTaskIds(), received.changes().finishedTaskIds());
        assertEquals(online, received.online());
        assertTrue(received.hasChanges());
    }

    @Test
    void aReplicaSkipsWhatItSentItself() {
        ExecutionChanges changes = new ExecutionChanges(Set.of("rec-1"), Map.of(), Set.of(TASK), Set.of());
        LiveLines.Received received = decode(LiveLines.encode("cp1", changes, Map.of("desk-1", true)), "cp1");
        assertFalse(received.hasChanges());
        assertTrue(received.online().isEmpty());
    }

    @Test
    void aBigCommitIsSplitIntoLinesTheBusCanPackAndEachLineNamesItsSender() {
        Set<String> records = IntStream.range(0, 2_000).mapToObj(i -> UUID.randomUUID().toString())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        ExecutionChanges changes = new ExecutionChanges(records, Map.of(), Set.of(TASK), Set.of());

        List<String> lines = LiveLines.encode("cp-3", changes, Map.of());

        assertTrue(lines.size() > 1, "2,000 UUIDs do not fit one line");
        for (String line : lines) {
            assertTrue(line.length() <= LiveLines.MAX_LINE_CHARS, "line of " + line.length() + " chars");
            assertTrue(line.startsWith("cp-3 "), line);
        }
        List<String> payloads = ClusterBus.pack(lines);
        Set<String> decoded = new LinkedHashSet<>();
        for (String payload : payloads) {
            decoded.addAll(LiveLines.decode(payload, "cp1").changes().recordIds());
        }
        assertEquals(records, decoded, "every id, in order, across the payloads");
    }

    @Test
    void linesOfAKindThisReplicaDoesNotKnowAreSkipped() {
        LiveLines.Received received = LiveLines.decode("cp2 x something,new\ncp2 t " + TASK, "cp1");
        assertEquals(Set.of(TASK), received.changes().taskIds());
        assertTrue(received.changes().recordIds().isEmpty());
    }

    @Test
    void nothingCommittedIsNoLine() {
        assertEquals(List.of(), LiveLines.encode("cp1",
                new ExecutionChanges(Set.of(), new LinkedHashMap<>(), Set.of(), Set.of()), Map.of()));
    }

    private static LiveLines.Received decode(List<String> lines, String self) {
        return LiveLines.decode(String.join("\n", lines), self);
    }
}
