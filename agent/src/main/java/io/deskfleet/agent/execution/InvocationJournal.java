package io.deskfleet.agent.execution;

import io.deskfleet.agent.state.DurableFiles;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The durable record of every invocation this desktop has seen, under {@code <state-dir>/invocations/<dir>/}:
 * <ul>
 *   <li>{@code started} - written (fsynced) before the process is launched; it is never removed, so an id is run at
 *       most once, ever. Its content is the invocation id.</li>
 *   <li>{@code pid} - "pid start-epoch-ms" of the launched process, so a restarted agent can kill what it left.
 *       Not fsynced: a power cut kills the process too, so only an agent crash needs it.</li>
 *   <li>{@code result.pb} - the spooled {@link InvocationResult}, kept until the control plane acknowledges it.</li>
 *   <li>{@code acked} - empty: the result was acknowledged (created before {@code result.pb} is deleted). Not
 *       fsynced: if a power cut loses it, the result goes again and the control plane, which records an invocation
 *       once, acknowledges the copy.</li>
 *   <li>{@code output} - the output beyond what fits in memory, up to RunCommand.full_output_max_bytes (see
 *       {@link OutputSpool}); fsynced before the result is spooled, deleted with the ack.</li>
 *   <li>{@code script.*} and {@code work/} - the script file and working directory while it runs.</li>
 * </ul>
 * {@code started} and {@code result.pb} are written with {@link DurableFiles#write}; {@code pid} and {@code acked}
 * are plain writes.
 * Ids made of {@code [A-Za-z0-9_-]} name their directory directly; any other id (dots, slashes, very long) is
 * hashed so that an id can never escape the state dir.
 */
public final class InvocationJournal {
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final String STARTED = "started";
    private static final String PID = "pid";
    private static final String RESULT = "result.pb";
    private static final String ACKED = "acked";
    private static final String SCRIPT = "script";
    private static final String OUTPUT = "output";

    private final Path root;

    public InvocationJournal(Path stateDir) throws IOException {
        this.root = stateDir.resolve("invocations");
        Files.createDirectories(root);
    }

    public boolean isKnown(String invocationId) {
        return Files.exists(dir(invocationId).resolve(STARTED));
    }

    public void markStarted(String invocationId) throws IOException {
        Path dir = dir(invocationId);
        Files.createDirectories(dir);
        DurableFiles.syncDirectory(root);
        DurableFiles.write(dir.resolve(STARTED), invocationId.getBytes(StandardCharsets.UTF_8));
    }

    void recordProcess(String invocationId, ProcessHandle process) throws IOException {
        long start = process.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        Files.write(dir(invocationId).resolve(PID), (process.pid() + " " + start).getBytes(StandardCharsets.UTF_8));
    }

    public void spool(InvocationResult result) throws IOException {
        DurableFiles.write(dir(result.getInvocationId()).resolve(RESULT), result.toByteArray());
    }

    /** The control plane has the result: forget it, but keep the marker so the id is never run again. */
    public void acknowledge(String invocationId) throws IOException {
        Path dir = dir(invocationId);
        if (!Files.exists(dir.resolve(RESULT))) {
            return;
        }
        Files.write(dir.resolve(ACKED), new byte[0]);
        Files.deleteIfExists(dir.resolve(RESULT));
        Files.deleteIfExists(dir.resolve(PID));
        Files.deleteIfExists(dir.resolve(OUTPUT));
    }

    Path outputFile(String invocationId) {
        return dir(invocationId).resolve(OUTPUT);
    }

    Path scriptFile(String invocationId, String extension) {
        return dir(invocationId).resolve(SCRIPT + extension);
    }

    Path workDir(String invocationId) {
        return dir(invocationId).resolve("work");
    }

    /**
     * Removes the script and whatever the script left in its working directory. Best effort: leftovers only cost
     * disk space, and the result matters more than the cleanup. The common case, an empty working directory, takes
     * no directory listing.
     */
    void deleteScratch(String invocationId) {
        Path dir = dir(invocationId);
        for (String extension : Interpreters.EXTENSIONS) {
            deleteQuietly(dir.resolve(SCRIPT + extension));
        }
        Path work = workDir(invocationId);
        try {
            Files.deleteIfExists(work);
        } catch (DirectoryNotEmptyException e) {
            try (Stream<Path> tree = Files.walk(work)) {
                tree.sorted(Comparator.reverseOrder()).forEach(InvocationJournal::deleteQuietly);
            } catch (IOException | UncheckedIOException walkFailed) {
                // See above.
            }
        } catch (IOException e) {
            // See above.
        }
    }

    /**
     * Run once at startup, before connecting. Returns every result still waiting for an ack. An invocation with a
     * marker but neither result nor ack was running when the agent died: whatever is left of its process is killed
     * and it gets an INTERRUPTED result (spooled here); it is never run again.
     */
    public List<InvocationResult> recover(long nowMillis) throws IOException {
        List<InvocationResult> pending = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (!Files.exists(dir.resolve(STARTED)) || Files.exists(dir.resolve(ACKED))) {
                    continue;
                }
                Path result = dir.resolve(RESULT);
                if (Files.exists(result)) {
                    pending.add(InvocationResult.parseFrom(Files.readAllBytes(result)));
                    continue;
                }
                String id = Files.readString(dir.resolve(STARTED), StandardCharsets.UTF_8);
                killLeftover(dir.resolve(PID));
                deleteScratch(id);
                InvocationResult interrupted = InvocationResult.newBuilder()
                        .setInvocationId(id)
                        .setStatus(InvocationStatus.INVOCATION_STATUS_INTERRUPTED)
                        .setFinishedAtUnixMs(nowMillis)
                        .setDetail("the agent stopped while the command was running")
                        .build();
                spool(interrupted);
                pending.add(interrupted);
            }
        }
        return pending;
    }

    private static void killLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String[] parts = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split(" ");
        long pid;
        long start;
        try {
            pid = Long.parseLong(parts[0]);
            start = Long.parseLong(parts[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return; // a plain write, torn by a crash between its open and its write: nothing was recorded
        }
        // The start time guards against killing an unrelated process that reused the pid.
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(h -> h.info().startInstant().map(i -> i.toEpochMilli() == start).orElse(false));
        leftover.ifPresent(ProcessTrees::destroyForcibly);
    }

    private Path dir(String invocationId) {
        if (PLAIN_ID.matcher(invocationId).matches()) {
            return root.resolve(invocationId);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(invocationId.getBytes(StandardCharsets.UTF_8));
            // '~' is outside the plain-id alphabet, so a hashed name never collides with a plain id.
            return root.resolve("~" + HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // See deleteScratch.
        }
    }
}
