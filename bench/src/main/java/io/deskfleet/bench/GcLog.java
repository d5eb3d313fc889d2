package io.deskfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child JVM's `-Xlog:gc` file: the heap each collection left behind ("Pause Young ... 120M->30M(256M)"). What a
 * collection leaves is the heap the JVM could not free then, so its largest value over a window bounds the live heap
 * from above (a young pause leaves old garbage in place; a full one leaves only what is live).
 */
final class GcLog {
    private static final Pattern PAUSE = Pattern.compile("Pause (\\w+).* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Path file;

    GcLog(Path file) {
        this.file = file;
    }

    /** The JVM option that writes it. */
    String option() {
        return "-Xlog:gc:file=" + file;
    }

    /** Where the log ends now: {@link #since} reads only what is written after. */
    long mark() throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** The collections logged after {@code mark}. */
    Collections since(long mark) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return parse(new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
                StandardCharsets.UTF_8));
    }

    /** How many collections, how many of them full, and the largest heap any of them left (MiB). */
    record Collections(int count, int full, long maxAfterMib, long maxAfterFullMib) {
    }

    static Collections parse(String log) {
        int count = 0;
        int full = 0;
        long maxAfter = 0;
        long maxAfterFull = 0;
        for (String line : log.split("\\R")) {
            Matcher m = PAUSE.matcher(line);
            if (!m.find()) {
                continue;
            }
            long after = Long.parseLong(m.group(3));
            count++;
            maxAfter = Math.max(maxAfter, after);
            if (m.group(1).equals("Full")) {
                full++;
                maxAfterFull = Math.max(maxAfterFull, after);
            }
        }
        return new Collections(count, full, maxAfter, maxAfterFull);
    }
}
