package io.deskfleet.it.harness;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an agent ran and reported, read from its own files: the invocation journal in its state dir
 * ({@code invocations/<id>/started}, {@code result.pb} until acknowledged, then {@code acked}) and its log, where
 * every result it produces while running is logged as {@code result of <id>: <STATUS> [exit code]} before it is
 * sent. A result the agent makes at startup for a command its previous process left running (INTERRUPTED) is not
 * logged; {@link #pendingAfterKill} tells it from the journal of the dead agent, as the agent's recovery does.
 */
public final class AgentJournal {
    private static final Pattern RESULT_LINE = Pattern.compile(
            "^(\\S+) INFO result of (\\S+): ([A-Z_]+)(?: (-?\\d+))?\\s*$");
    /** {@code connected as <desktop id> to <address>}: the address names the control plane (replica) reached. */
    private static final Pattern CONNECTED_LINE = Pattern.compile("^(\\S+) INFO connected as (\\S+)(?: to .*)?$");

    private AgentJournal() {
    }

    /** One invocation directory of the journal. {@code spooled} is null once acknowledged (or before the result). */
    public record Entry(String invocationId, InvocationResult spooled, boolean acked) {
    }

    /** A result as the agent reported it. {@code output} is null when only the log line is known. */
    public record Report(String invocationId, InvocationStatus status, int exitCode, String output, String source,
                         LocalDateTime at) {
        public String describe() {
            return status + (status == InvocationStatus.INVOCATION_STATUS_EXITED ? " " + exitCode : "")
                    + (output == null ? "" : " output='" + output.strip() + "'") + " [" + source
                    + (at == null ? "" : " " + at) + "]";
        }
    }

    /** Every invocation with a {@code started} marker, the ones being written right now included or not. */
    public static List<Entry> read(Path stateDir) {
        Path root = stateDir.resolve("invocations");
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String id;
                try {
                    id = Files.readString(dir.resolve("started"), StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (id.isEmpty()) {
                    continue; // being written (the agent writes it atomically, but a reader may race the rename)
                }
                InvocationResult spooled = null;
                try {
                    spooled = InvocationResult.parseFrom(Files.readAllBytes(dir.resolve("result.pb")));
                } catch (NoSuchFileException e) {
                    // not finished, or acknowledged
                }
                entries.add(new Entry(id, spooled, Files.exists(dir.resolve("acked"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /**
     * The results a killed agent's next process will send, read while no agent process runs on the state dir: the
     * spooled, unacknowledged ones as they are, and INTERRUPTED for every command that was started but has neither
     * result nor ack (the agent's startup recovery makes exactly these).
     */
    public static List<Report> pendingAfterKill(Path stateDir) {
        List<Report> pending = new ArrayList<>();
        for (Entry entry : read(stateDir)) {
            if (entry.acked()) {
                continue;
            }
            if (entry.spooled() != null) {
                pending.add(of(entry.spooled(), "spooled when the agent was killed"));
            } else {
                pending.add(new Report(entry.invocationId(), InvocationStatus.INVOCATION_STATUS_INTERRUPTED, 0, null,
                        "running when the agent was killed: INTERRUPTED on restart", null));
            }
        }
        return pending;
    }

    /** Results still spooled, not acknowledged (the agent is still trying to deliver them). */
    public static List<Report> unacknowledged(Path stateDir) {
        List<Report> pending = new ArrayList<>();
        for (Entry entry : read(stateDir)) {
            if (!entry.acked() && entry.spooled() != null) {
                pending.add(of(entry.spooled(), "still spooled, unacknowledged"));
            }
        }
        return pending;
    }

    /** Ids with a started marker and no result yet: commands running (or left running by a dead agent). */
    public static List<String> unfinished(Path stateDir) {
        List<String> ids = new ArrayList<>();
        for (Entry entry : read(stateDir)) {
            if (!entry.acked() && entry.spooled() == null) {
                ids.add(entry.invocationId());
            }
        }
        return ids;
    }

    public static Report of(InvocationResult result, String source) {
        return new Report(result.getInvocationId(), result.getStatus(), result.getExitCode(), result.getOutput(),
                source, null);
    }

    /** The {@code result of ...} lines of an agent's log (all its processes: the harness appends to one file). */
    public static List<Report> loggedResults(String log) {
        List<Report> reports = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = RESULT_LINE.matcher(line);
            if (m.matches()) {
                InvocationStatus status = InvocationStatus.valueOf(m.group(3));
                int exit = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
                reports.add(new Report(m.group(2), status, exit, null, "agent log", time(m.group(1))));
            }
        }
        return reports;
    }

    /** When the agent's stream was welcomed, in the order logged. */
    public static List<LocalDateTime> connections(String log) {
        List<LocalDateTime> times = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = CONNECTED_LINE.matcher(line);
            if (m.matches()) {
                LocalDateTime at = time(m.group(1));
                if (at != null) {
                    times.add(at);
                }
            }
        }
        return times;
    }

    /** The log lines that name an invocation id, for a failure message. */
    public static List<String> linesAbout(String log, String invocationId) {
        return log.lines().filter(l -> l.contains(invocationId)).toList();
    }

    private static LocalDateTime time(String text) {
        try {
            return LocalDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
