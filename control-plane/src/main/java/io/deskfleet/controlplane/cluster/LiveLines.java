package io.deskfleet.controlplane.cluster;

import io.deskfleet.controlplane.execution.ExecutionChanges;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of {@link ClusterBus#LIVE}: which ids a commit touched, as lines {@code <sender> <kind> [<task>] <id>,<id>...}.
 * Kinds: {@code r} records, {@code t} tasks, {@code f} finished tasks, {@code c} desktops whose waiting records of
 * {@code <task>} were closed, {@code +} and {@code -} desktops that came online or went offline. Every line names
 * its sender, because the bus packs lines into payloads as it likes and delivers them to the sender too. Ids are
 * UUIDs and replica ids letters, digits and {@code ._-}, so neither a space nor a comma ever needs escaping.
 */
final class LiveLines {
    /** Keeps a line far below the bus's payload limit, so the bus can pack several into one notification. */
    static final int MAX_LINE_CHARS = 2000;

    private LiveLines() {
    }

    /** What one replica's lines said: execution changes and presence, merged over the lines. */
    record Received(ExecutionChanges changes, Map<String, Boolean> online) {
        boolean hasChanges() {
            return !changes.recordIds().isEmpty() || !changes.closedDesktops().isEmpty()
                    || !changes.taskIds().isEmpty() || !changes.finishedTaskIds().isEmpty();
        }
    }

    static List<String> encode(String sender, ExecutionChanges changes, Map<String, Boolean> online) {
        List<String> lines = new ArrayList<>();
        add(lines, sender + " r ", changes.recordIds());
        add(lines, sender + " t ", changes.taskIds());
        add(lines, sender + " f ", changes.finishedTaskIds());
        changes.closedDesktops().forEach((task, desktops) -> add(lines, sender + " c " + task + " ", desktops));
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        online.forEach((desktop, isOnline) -> (isOnline ? up : down).add(desktop));
        add(lines, sender + " + ", up);
        add(lines, sender + " - ", down);
        return lines;
    }

    private static void add(List<String> lines, String prefix, Collection<String> ids) {
        StringBuilder line = new StringBuilder(prefix);
        for (String id : ids) {
            if (line.length() > prefix.length() && line.length() + 1 + id.length() > MAX_LINE_CHARS) {
                lines.add(line.toString());
                line.setLength(prefix.length());
            }
            if (line.length() > prefix.length()) {
                line.append(',');
            }
            line.append(id);
        }
        if (line.length() > prefix.length()) {
            lines.add(line.toString());
        }
    }

    /**
     * The lines of a payload sent by another replica than {@code self}. A line of an unknown kind is skipped: a
     * newer replica may say more during a rolling upgrade, and what this one understands still gets through.
     */
    static Received decode(String payload, String self) {
        Set<String> records = new LinkedHashSet<>();
        Set<String> tasks = new LinkedHashSet<>();
        Set<String> finished = new LinkedHashSet<>();
        Map<String, Set<String>> closed = new LinkedHashMap<>();
        Map<String, Boolean> online = new LinkedHashMap<>();
        for (String line : payload.split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length < 3 || parts[0].equals(self)) {
                continue;
            }
            List<String> ids = List.of(parts[parts.length - 1].split(","));
            switch (parts[1]) {
                case "r" -> records.addAll(ids);
                case "t" -> tasks.addAll(ids);
                case "f" -> finished.addAll(ids);
                case "c" -> {
                    if (parts.length == 4) {
                        closed.computeIfAbsent(parts[2], t -> new LinkedHashSet<>()).addAll(ids);
                    }
                }
                case "+" -> ids.forEach(id -> online.put(id, true));
                case "-" -> ids.forEach(id -> online.put(id, false));
                default -> {
                }
            }
        }
        return new Received(new ExecutionChanges(records, closed, tasks, finished), online);
    }
}
