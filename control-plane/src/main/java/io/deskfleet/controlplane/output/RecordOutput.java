package io.deskfleet.controlplane.output;

import java.util.Arrays;

/**
 * What the control plane holds of one record's output while its agent sends it: the bytes stored so far are always
 * {@code [0, stored)}, and a chunk is kept only for the part that extends them within the cap. A chunk that starts
 * beyond {@code stored} means some output was lost on the way (a dropped stream, a restart); it is not kept, and the
 * agent is asked to send again from {@code stored}. Pure: no I/O, no clock (times are passed in).
 */
final class RecordOutput {
    final String recordId;
    final String projectId;
    final String taskId;
    final String desktopId;
    private final long cap;
    private long stored;
    private boolean complete;
    private boolean truncated;
    /** The result said this many bytes exist; -1 while no result waits for output. */
    private long expected = -1;
    private boolean expectedTruncated;
    private long requested = -1;
    private long lastProgressNanos;
    private int fruitlessRequests;
    /** Whether record_outputs has its row (inserted with the first write, updated after). */
    private boolean hasRow;

    RecordOutput(String recordId, String projectId, String taskId, String desktopId, long cap, long stored,
                 boolean complete, boolean truncated, boolean hasRow) {
        this.recordId = recordId;
        this.projectId = projectId;
        this.taskId = taskId;
        this.desktopId = desktopId;
        this.cap = cap;
        this.stored = stored;
        this.complete = complete;
        this.truncated = truncated;
        this.hasRow = hasRow;
    }

    /** How a chunk was taken. */
    enum Take { NEW, DUPLICATE, GAP, CLOSED }

    /** The part of a chunk that extends the output: empty unless {@link Take#NEW}. */
    record Accepted(Take take, long offset, byte[] data) {
    }

    Accepted accept(long offset, byte[] data, long nowNanos) {
        if (complete) {
            return new Accepted(Take.CLOSED, offset, new byte[0]);
        }
        if (offset > stored) {
            return new Accepted(Take.GAP, offset, new byte[0]);
        }
        long end = offset + data.length;
        if (end > cap) {
            truncated = true;
        }
        long keptEnd = Math.min(end, cap);
        if (keptEnd <= stored) {
            return new Accepted(Take.DUPLICATE, offset, new byte[0]);
        }
        // The usual chunk extends the output whole: kept as it is, not copied.
        byte[] fresh = offset == stored && keptEnd == end ? data
                : Arrays.copyOfRange(data, (int) (stored - offset), (int) (keptEnd - offset));
        long at = stored;
        stored = keptEnd;
        lastProgressNanos = nowNanos;
        fruitlessRequests = 0;
        return new Accepted(Take.NEW, at, fresh);
    }

    /**
     * The agent's result: how much output it kept in full and whether it cut it. Settles the output when everything
     * is stored (see {@link #isComplete()}); otherwise the output waits for the missing part.
     */
    void resultSays(long fullBytes, boolean fullTruncated, long nowNanos) {
        if (complete) {
            return;
        }
        expected = Math.min(fullBytes, cap);
        expectedTruncated = fullTruncated || fullBytes > cap;
        // A request made for a gap while the command ran is not repeated at once; if it was lost, the writer's
        // tick asks again after its patience.
        lastProgressNanos = nowNanos;
        settleIfStored();
    }

    /**
     * A result whose excerpt is the whole output (nothing was cut from it): the excerpt completes what is stored.
     *
     * @return the part of the excerpt beyond what is stored, to store
     */
    byte[] completeWithExcerpt(byte[] excerpt, boolean excerptTruncated) {
        if (complete) {
            return new byte[0];
        }
        long keptEnd = Math.min(excerpt.length, cap);
        byte[] fresh = keptEnd > stored ? Arrays.copyOfRange(excerpt, (int) stored, (int) keptEnd) : new byte[0];
        stored = Math.max(stored, keptEnd);
        complete = true;
        truncated = truncated || excerptTruncated || excerpt.length > cap;
        expected = -1;
        return fresh;
    }

    /** After each accepted chunk: a waiting result is settled once its bytes are all there. */
    boolean settleIfStored() {
        if (!complete && expected >= 0 && stored >= expected) {
            complete = true;
            truncated = truncated || expectedTruncated;
            expected = -1;
            return true;
        }
        return false;
    }

    /** A result waits for output the agent has not sent (again) yet. */
    boolean isAwaited() {
        return expected >= 0;
    }

    /**
     * Whether to ask the agent to send again from {@link #stored()}: once per gap (a chunk beyond the stored end, or
     * a result that names more than is stored), not again for the same offset until {@link #retry} says so.
     */
    boolean takeRequest() {
        if (complete || requested == stored) {
            return false;
        }
        requested = stored;
        return true;
    }

    /**
     * On the writer's tick, for a result waiting on output: after {@code patience} without progress the request is
     * repeated (it may have been lost with a stream), up to {@code maxRequests} times.
     *
     * @return true to ask again now
     */
    boolean retry(long nowNanos, long patienceNanos) {
        if (!isAwaited() || nowNanos - lastProgressNanos < patienceNanos) {
            return false;
        }
        lastProgressNanos = nowNanos;
        fruitlessRequests++;
        requested = stored;
        return true;
    }

    int fruitlessRequests() {
        return fruitlessRequests;
    }

    /** Gives up waiting: the output ends where it is, marked truncated, so the result can be acknowledged. */
    void settleShort() {
        complete = true;
        truncated = true;
        expected = -1;
    }

    boolean hasRow() {
        return hasRow;
    }

    void rowWritten() {
        hasRow = true;
    }

    long stored() {
        return stored;
    }

    boolean isComplete() {
        return complete;
    }

    boolean isTruncated() {
        return truncated;
    }
}
