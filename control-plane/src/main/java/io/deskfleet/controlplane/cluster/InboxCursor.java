package io.deskfleet.controlplane.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where {@link InboxConsumer}'s next read of {@code agent_inbox} starts. Reading only rows above the last one handed
 * to the engine keeps a wake-up cheap, but ids are taken at insert and several replicas commit in another order: a
 * row below the cursor can become visible after it moved past. So each writer's hint names the first id of what it
 * committed ({@link #hinted}), and the next read starts there; every {@link #FULL_READ_EVERY}-th sweep, and whenever
 * rows below the cursor may have become this replica's ({@link #readEverything}: a hand-off that failed, a task taken
 * over), the read starts from the beginning, which also covers a hint lost with the listening connection.
 */
final class InboxCursor {
    static final int FULL_READ_EVERY = 5;

    /** Touched by the reader thread only. */
    private long handedUpTo;
    private long sweeps;
    /** The lowest first id hinted since the last read; from the bus's thread. */
    private final AtomicLong hintedFrom = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean everything = new AtomicBoolean();

    /** A writer committed rows for this replica, the first of them with this id. */
    void hinted(long firstId) {
        hintedFrom.accumulateAndGet(firstId, Math::min);
    }

    /** Rows below the cursor may be this replica's now: the next read starts from the beginning. */
    void readEverything() {
        everything.set(true);
    }

    /** A timed sweep is about to read: every {@link #FULL_READ_EVERY}-th reads everything. */
    void swept() {
        if (++sweeps % FULL_READ_EVERY == 0) {
            everything.set(true);
        }
    }

    /**
     * Whether the next pass of reads starts from the beginning (a full read, which also takes rows of tasks nobody
     * holds); if so, the cursor is back at 0.
     */
    boolean startsOver() {
        if (everything.getAndSet(false)) {
            handedUpTo = 0;
            return true;
        }
        return false;
    }

    /** The next read takes rows with an id above this. */
    long start() {
        long hint = hintedFrom.getAndSet(Long.MAX_VALUE);
        if (hint <= handedUpTo) {
            handedUpTo = hint - 1;
        }
        return handedUpTo;
    }

    /** A row the read returned. */
    void passed(long id) {
        handedUpTo = Math.max(handedUpTo, id);
    }
}
