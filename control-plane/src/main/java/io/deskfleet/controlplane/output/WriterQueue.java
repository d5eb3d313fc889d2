package io.deskfleet.controlplane.output;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link OutputWriter}'s inbox, bounded in the output bytes it holds: a chunk counts from {@link #offer} until the
 * writer {@link #release}s the batch it was taken in, i.e. until its transaction is committed. So the queue and the
 * batch being written together never hold more than {@code maxHeldBytes} of chunk data, however many desktops send
 * at once; a chunk beyond that is refused (the writer asks for it again later). Batches are taken in arrival order,
 * each with at most {@code maxBatchBytes} of chunk data (but at least one item), so what one transaction copies
 * (merged pieces, the driver's copy of each value) stays small too. Items without bytes (results, disconnects) are
 * never refused.
 */
final class WriterQueue<T> {
    private final long maxHeldBytes;
    private final long maxBatchBytes;
    private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
    private long heldBytes;
    private boolean closed;

    private record Entry<T>(T item, long bytes) {
    }

    /** Items in arrival order and the chunk bytes they hold until {@link #release}d. */
    record Batch<T>(List<T> items, long bytes) {
    }

    WriterQueue(long maxHeldBytes, long maxBatchBytes) {
        this.maxHeldBytes = maxHeldBytes;
        this.maxBatchBytes = maxBatchBytes;
    }

    /** Queues an item carrying {@code bytes} of output; false (nothing queued) when that would exceed the bound. */
    synchronized boolean offer(T item, long bytes) {
        if (bytes > 0 && heldBytes + bytes > maxHeldBytes) {
            return false;
        }
        heldBytes += bytes;
        queue.add(new Entry<>(item, bytes));
        notifyAll();
        return true;
    }

    /**
     * The next batch, waiting up to {@code waitMillis} for one; empty if none came. Its bytes stay held until
     * {@link #release}.
     */
    synchronized Batch<T> take(long waitMillis) throws InterruptedException {
        if (queue.isEmpty() && !closed && waitMillis > 0) {
            wait(waitMillis);
        }
        List<T> items = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty() && (items.isEmpty() || bytes + queue.peek().bytes() <= maxBatchBytes)) {
            Entry<T> next = queue.poll();
            items.add(next.item());
            bytes += next.bytes();
        }
        return new Batch<>(items, bytes);
    }

    /** The batch is written (or given up): its bytes no longer count. */
    synchronized void release(Batch<T> batch) {
        heldBytes -= batch.bytes();
    }

    synchronized long heldBytes() {
        return heldBytes;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Closed and nothing left to take. */
    synchronized boolean isDrained() {
        return closed && queue.isEmpty();
    }
}
