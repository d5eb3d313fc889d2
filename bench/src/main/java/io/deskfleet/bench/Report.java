package io.deskfleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The figures of one benchmark run as a markdown section: a dated heading, the machine, one table. */
final class Report {
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String baselineLabel;

    /** The note every run starts with: the figures depend on the machine and the JVM. */
    static String machine() {
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /** The machine is shared while figures are taken, so each row carries the 1-minute load average of then. */
    void add(String figure, String value) {
        rows.add(new String[] {figure, value, loadAverage()});
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * Appends the rows of ours; with a baseline (the same measurements, in the same order, on another control plane
     * in the same run), each row gets the baseline's value and load average beside its own.
     */
    void addAll(Report ours, Report baseline, String baselineLabel) {
        if (baseline != null && baseline.rows.size() != ours.rows.size()) {
            throw new IllegalStateException("the baseline has " + baseline.rows.size() + " rows, this build "
                    + ours.rows.size());
        }
        this.baselineLabel = baseline == null ? this.baselineLabel : baselineLabel;
        for (int i = 0; i < ours.rows.size(); i++) {
            String[] row = ours.rows.get(i);
            rows.add(baseline == null ? row : new String[] {row[0], row[1], row[2], baseline.rows.get(i)[1],
                    baseline.rows.get(i)[2]});
        }
    }

    void note(String note) {
        notes.add(note);
    }

    String markdown(ZonedDateTime at) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(at.withZoneSameInstant(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append("\n\n");
        for (String note : notes) {
            out.append("- ").append(note).append('\n');
        }
        if (baselineLabel == null) {
            out.append("\n| figure | value | load avg |\n| --- | --- | --- |\n");
        } else {
            out.append("\n| figure | value | load avg | ").append(baselineLabel)
                    .append(" | load avg |\n| --- | --- | --- | --- | --- |\n");
        }
        for (String[] row : rows) {
            out.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]);
            if (baselineLabel != null) {
                out.append(" | ").append(row.length > 3 ? row[3] : "").append(" | ").append(row.length > 3 ? row[4] : "");
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    /** Puts the section first, under the file's title, keeping every earlier run below it. */
    static void insertAtTop(Path file, String section) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String title = "# Benchmark results\n\n";
        String rest = Files.exists(file) ? Files.readString(file) : title;
        if (rest.startsWith(title)) {
            rest = rest.substring(title.length());
        }
        Files.writeString(file, title + section + "\n" + rest);
    }
}
