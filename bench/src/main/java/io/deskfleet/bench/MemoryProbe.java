package io.deskfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Memory of another JVM on this machine. Heap used is read with `jstat -gc` (S0U + S1U + EU + OU, in KB) right
 * after `jcmd GC.run` forces a full collection, so it counts live objects rather than garbage not yet collected;
 * RSS is VmRSS from /proc/[pid]/status.
 */
final class MemoryProbe {
    static final String METHOD = "heap: `jcmd <pid> GC.run`, then S0U+S1U+EU+OU of `jstat -gc <pid>`; "
            + "RSS: VmRSS of /proc/<pid>/status";
    private static final List<String> USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");

    private MemoryProbe() {
    }

    record Memory(long heapUsedBytes, long rssBytes) {
    }

    static Memory measure(long pid) throws IOException, InterruptedException {
        collect(pid);
        long heap = heapUsedKb(run(tool("jstat"), "-gc", Long.toString(pid))) * 1024;
        return new Memory(heap, rssKb(Files.readString(Path.of("/proc", Long.toString(pid), "status"))) * 1024);
    }

    /** A full collection in that JVM, now. */
    static void collect(long pid) throws IOException, InterruptedException {
        run(tool("jcmd"), Long.toString(pid), "GC.run");
    }

    /** Its live objects by class, largest first (the histogram forces a full collection first). */
    static String histogram(long pid) throws IOException, InterruptedException {
        return run(tool("jcmd"), Long.toString(pid), "GC.class_histogram");
    }

    /** Heap used now, garbage included: for sampling a peak often without forcing a collection each time. */
    static long heapUsedWithoutCollecting(long pid) throws IOException, InterruptedException {
        return heapUsedKb(run(tool("jstat"), "-gc", Long.toString(pid))) * 1024;
    }

    /** Sums the used columns of `jstat -gc` output: a header line of column names, then one line of values. */
    static long heapUsedKb(String jstatOutput) {
        String[] lines = jstatOutput.strip().split("\\R");
        if (lines.length < 2) {
            throw new IllegalStateException("unexpected jstat -gc output: " + jstatOutput);
        }
        List<String> header = Arrays.asList(lines[0].trim().split("\\s+"));
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double used = 0;
        for (String column : USED_COLUMNS) {
            int index = header.indexOf(column);
            if (index < 0 || index >= values.length) {
                throw new IllegalStateException("no " + column + " column in jstat -gc output: " + jstatOutput);
            }
            used += Double.parseDouble(values[index]);
        }
        return Math.round(used);
    }

    static long rssKb(String procStatus) {
        for (String line : procStatus.split("\\R")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no VmRSS line in /proc/<pid>/status");
    }

    private static String tool(String name) {
        Path path = Path.of(System.getProperty("java.home"), "bin", name);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " not found: run the bench on a JDK, or pass --skip-memory");
        }
        return path.toString();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
