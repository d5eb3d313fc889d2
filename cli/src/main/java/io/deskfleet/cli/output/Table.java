package io.deskfleet.cli.output;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: left-aligned columns two spaces apart, long cells cut so a row stays on one line. */
public final class Table {
    static final int MAX_CELL = 48;

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean whole;
    private final Integer lastColumnMax;

    public Table(String... headers) {
        this(false, null, headers);
    }

    private Table(boolean whole, Integer lastColumnMax, String... headers) {
        this.headers = List.of(headers);
        this.whole = whole;
        this.lastColumnMax = lastColumnMax;
    }

    /**
     * A table whose cells are never cut (ids stay whole), but for its last column, which is cut at
     * {@code lastColumnMax} characters when that is not null: on a terminal, its width, so a long reason takes at
     * most a line of its own; in a pipe, nothing is cut.
     */
    public static Table whole(Integer lastColumnMax, String... headers) {
        return new Table(true, lastColumnMax, headers);
    }

    public Table add(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            boolean last = i == cells.length - 1;
            Integer max = !whole ? Integer.valueOf(MAX_CELL) : last ? lastColumnMax : null;
            row[i] = cell(cells[i], max);
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** One line; cut to {@code max} characters (ending in ...) unless {@code max} is null. */
    static String cell(Object value, Integer max) {
        if (value == null) {
            return "-";
        }
        String text = value.toString().replaceAll("[\\r\\n\\t]+", " ").strip();
        if (text.isEmpty()) {
            return "-";
        }
        return max == null || text.length() <= max ? text : text.substring(0, Math.max(0, max - 3)) + "...";
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers.toArray(String[]::new), widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cells[i].length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
