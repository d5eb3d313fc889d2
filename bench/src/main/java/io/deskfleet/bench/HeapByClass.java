package io.deskfleet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the heap per connected agent is made of: the difference between two class histograms of the control plane
 * (`jcmd GC.class_histogram`, live objects), one taken before a swarm connects and one with it connected, divided by
 * the number of agents. Printed beside the heap-per-agent row so that a figure over its target comes with where it
 * goes (issue 24).
 */
final class HeapByClass {
    record Share(String className, double bytesPerAgent, double instancesPerAgent) {
    }

    private HeapByClass() {
    }

    /** The {@code top} classes that grew most, in bytes per agent, largest first. */
    static List<Share> perAgent(String before, String after, int agents, int top) {
        Map<String, long[]> grown = parse(after);
        parse(before).forEach((name, counts) -> grown.merge(name, new long[] {-counts[0], -counts[1]},
                (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
        List<Share> shares = new ArrayList<>();
        grown.forEach((name, counts) -> shares.add(new Share(name, counts[1] / (double) agents, counts[0] / (double) agents)));
        shares.sort(Comparator.comparingDouble(Share::bytesPerAgent).reversed());
        return shares.subList(0, Math.min(top, shares.size()));
    }

    static String format(List<Share> shares) {
        StringBuilder text = new StringBuilder();
        for (Share share : shares) {
            text.append(String.format(Locale.ROOT, "%8.0f B %7.2f objects  %s%n", share.bytesPerAgent(),
                    share.instancesPerAgent(), share.className()));
        }
        return text.toString();
    }

    /** Class name to {instances, bytes}; lines look like {@code   1:   123   4567  [B (java.base@17.0.15)}. */
    private static Map<String, long[]> parse(String histogram) {
        Map<String, long[]> counts = new HashMap<>();
        for (String line : histogram.split("\\R")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length < 4 || !columns[0].endsWith(":")) {
                continue;
            }
            try {
                counts.put(columns[3], new long[] {Long.parseLong(columns[1]), Long.parseLong(columns[2])});
            } catch (NumberFormatException e) {
                // the header or the Total line
            }
        }
        return counts;
    }
}
