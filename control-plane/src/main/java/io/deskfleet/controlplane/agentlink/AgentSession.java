package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.ControlMessage;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One agent stream's outbound side. Messages go through a bounded queue that is drained only while the transport
 * is ready (gRPC flow control), so a slow agent costs at most {@link #QUEUE_CAPACITY} messages of memory and no
 * thread ever blocks. The drain loop runs on whichever thread enqueues or gets the on-ready callback, one at a time.
 */
final class AgentSession {
    static final int QUEUE_CAPACITY = 256;

    private final ServerCallStreamObserver<ControlMessage> out;
    // Linked, with a count for the bound: an ArrayBlockingQueue allocates its full capacity (1 KiB for 256 slots) and
    // a lock up front, in every one of the (mostly idle) sessions, which was a fifth of the heap per connected desktop.
    private final Queue<ControlMessage> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger drainers = new AtomicInteger();
    private volatile String desktopId;
    /** The registry's epoch of this stream (replicas; 0 on one node), set with the desktop id. */
    private volatile long epoch = -1;
    private volatile long lastSeenNanos = System.nanoTime();
    /** How the stream ends, once {@link #close} was called; the first call wins. */
    private final AtomicReference<Closing> closing = new AtomicReference<>();
    /** Touched only by the drain loop. */
    private boolean terminated;

    AgentSession(ServerCallStreamObserver<ControlMessage> out) {
        this.out = out;
    }

    /** Set once the Hello is authenticated. */
    void authenticated(String desktopId) {
        this.desktopId = desktopId;
    }

    String desktopId() {
        return desktopId;
    }

    void epoch(long epoch) {
        this.epoch = epoch;
    }

    /** -1 until the registry has recorded the stream. */
    long epoch() {
        return epoch;
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    /** @return false when the stream is closing or the queue is full (the agent is not reading) */
    boolean enqueue(ControlMessage message) {
        if (closing.get() != null) {
            return false;
        }
        if (queued.incrementAndGet() > QUEUE_CAPACITY) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(message);
        drain();
        return true;
    }

    /** Ends the stream after sending what the transport accepts now; the rest is dropped. Idempotent. */
    void close(Status status) {
        close(status, new Metadata());
    }

    /** As {@link #close(Status)}, with trailers (e.g. a refusal reason). */
    void close(Status status, Metadata trailers) {
        closing.compareAndSet(null, new Closing(status, trailers));
        drain();
    }

    /** Called by gRPC when the transport can take more. */
    void drain() {
        if (drainers.getAndIncrement() != 0) {
            return;
        }
        do {
            if (!terminated) {
                drainOnce();
            }
        } while (drainers.decrementAndGet() != 0);
    }

    private void drainOnce() {
        try {
            ControlMessage next;
            while (out.isReady() && (next = queue.poll()) != null) {
                queued.decrementAndGet();
                out.onNext(next);
            }
            Closing end = closing.get();
            if (end != null) {
                terminated = true;
                queue.clear();
                if (!out.isCancelled()) {
                    if (end.status().isOk()) {
                        out.onCompleted();
                    } else {
                        out.onError(end.status().asRuntimeException(end.trailers()));
                    }
                }
            }
        } catch (RuntimeException e) {
            // The call was cancelled under us (agent gone); the stream's cancel handler does the bookkeeping.
            terminated = true;
            queue.clear();
        }
    }

    private record Closing(Status status, Metadata trailers) {
    }
}
