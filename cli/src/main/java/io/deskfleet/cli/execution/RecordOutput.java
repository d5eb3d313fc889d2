package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.http.Query;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One record's output as {@code deskfleet output} prints it: bytes from GET .../output (Range from what was printed)
 * and from live {@code output} events, each byte printed once and in order. With a label (several records shown
 * together) whole lines are printed, each after {@code label | }; without, the bytes go out as they come.
 */
final class RecordOutput {
    static final String COMPLETE = "X-Output-Complete";
    static final String TRUNCATED = "X-Output-Truncated";
    /** How long a finished record's output may take to be stored whole (its result waits for it; contract notes). */
    static final int COMPLETE_TRIES = 50;
    static final long COMPLETE_PAUSE_MILLIS = 200;

    final ScriptExecutionRecord record;
    private final String path;
    private final byte[] label;
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long offset;
    private boolean done;

    RecordOutput(Session session, ScriptExecutionRecord record, String label, OutputStream out) {
        this.record = record;
        this.path = session.path("/script-execution-records/" + Query.segment(record.id()) + "/output");
        this.label = label == null ? null : (label + " | ").getBytes(StandardCharsets.UTF_8);
        this.out = out;
    }

    boolean done() {
        return done;
    }

    /** Bytes printed so far. */
    long printed() {
        return offset;
    }

    /** Bytes [from, from + data.length) of the output: what was printed already is skipped. */
    void received(long from, byte[] data) {
        long end = from + data.length;
        if (done || end <= offset || from > offset) {
            return;
        }
        print(Arrays.copyOfRange(data, (int) (offset - from), data.length));
        offset = end;
    }

    /** Whether bytes from {@code from} continue what was printed (false: some are missing, catch up first). */
    boolean continues(long from) {
        return from <= offset;
    }

    /**
     * Prints what is stored beyond what was printed. With {@code toEnd} (the record has finished) waits until the
     * output is complete and ends it; {@code note} hears of a cut or an output that never completed.
     */
    void catchUp(ApiClient api, boolean toEnd, Consumer<String> note) {
        for (int tries = 0; !done; tries++) {
            ApiClient.Bytes stored = api.getBytes(path, offset);
            received(offset, stored.body());
            if (!toEnd) {
                return;
            }
            if (stored.flag(COMPLETE) || tries == COMPLETE_TRIES) {
                finish();
                if (stored.flag(TRUNCATED)) {
                    note.accept("(" + name() + ": the control plane kept the first " + offset
                            + " bytes of this output; the rest was cut)");
                } else if (!stored.flag(COMPLETE)) {
                    note.accept("(" + name() + ": the output may be incomplete; the control plane has not stored "
                            + "all of it yet)");
                }
                return;
            }
            pause();
        }
    }

    String name() {
        String desktop = record.resourceName() == null ? record.resourceId() : record.resourceName();
        return record.scriptName() == null ? desktop : desktop + " (" + record.scriptName() + ")";
    }

    private void finish() {
        if (label != null && line.size() > 0) {
            line.write('\n');
            write(label, line.toByteArray());
            line.reset();
        }
        flush();
        done = true;
    }

    private void print(byte[] data) {
        if (label == null) {
            write(new byte[0], data);
        } else {
            for (byte b : data) {
                line.write(b);
                if (b == '\n') {
                    write(label, line.toByteArray());
                    line.reset();
                }
            }
        }
        flush();
    }

    private void write(byte[] prefix, byte[] data) {
        try {
            out.write(prefix);
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(COMPLETE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
