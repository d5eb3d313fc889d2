package io.deskfleet.controlplane.live;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client's Server-Sent Event stream: frames wait in a queue until the connection takes them. The queue is
 * bounded by a frame count and a byte count; a client that falls that far behind is dropped (its stream ends) and
 * reconnects for a fresh snapshot, so a slow reader never holds memory without bound.
 */
public final class EventStream {
    public static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final Sinks.Many<byte[]> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicLong queuedFrames = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Flux<byte[]> flux;
    private long maxFrames;
    private long maxBytes;
    private boolean closed;
    private volatile long lastSentNanos = System.nanoTime();

    /** @param onClose told when the client goes away or the stream has ended, to stop feeding it */
    public EventStream(long maxFrames, long maxBytes, Consumer<EventStream> onClose) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.flux = sink.asFlux()
                .doOnNext(frame -> {
                    queuedFrames.decrementAndGet();
                    queuedBytes.addAndGet(-frame.length);
                })
                .doFinally(signal -> {
                    close();
                    onClose.accept(this);
                });
    }

    public Flux<byte[]> flux() {
        return flux;
    }

    /** A snapshot is sent at once, whatever its size: the bounds apply to what queues up after it. */
    public synchronized void allowSnapshot(long frames, long bytes) {
        maxFrames += frames;
        maxBytes += bytes;
    }

    public static byte[] frame(String event, String json) {
        return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return false when the stream is closed, now or before (overflow or client gone) */
    public synchronized boolean send(byte[] frame) {
        if (closed) {
            return false;
        }
        if (queuedFrames.get() + 1 > maxFrames || queuedBytes.get() + frame.length > maxBytes) {
            close();
            return false;
        }
        queuedFrames.incrementAndGet();
        queuedBytes.addAndGet(frame.length);
        lastSentNanos = System.nanoTime();
        if (sink.tryEmitNext(frame).isFailure()) {
            close();
            return false;
        }
        return true;
    }

    /** A keep-alive comment if nothing was sent for the given time. */
    public void keepAliveIfIdle(long idleNanos, long nowNanos) {
        if (nowNanos - lastSentNanos >= idleNanos) {
            send(KEEP_ALIVE);
        }
    }

    /** Ends the stream after what is already queued. */
    public synchronized void close() {
        if (!closed) {
            closed = true;
            sink.tryEmitComplete();
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
