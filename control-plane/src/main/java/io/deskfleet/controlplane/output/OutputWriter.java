package io.deskfleet.controlplane.output;

import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.OutputChunk;
import io.deskfleet.agent.v1.OutputRequest;
import io.deskfleet.controlplane.agentlink.AgentEventListener;
import io.deskfleet.controlplane.agentlink.AgentGateway;
import io.deskfleet.controlplane.live.EventStream;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores each record's whole output (up to {@code deskfleet.output.max-bytes-per-record}) as the agent streams it, and
 * holds the acknowledgement of a result until the output it names is stored.
 *
 * <p>gRPC threads only queue (chunks, results, disconnects); one thread ({@code output-writer}) does the rest, in
 * arrival order: what queued while the previous batch was written goes out in one transaction (up to
 * {@link #MAX_BATCH_BYTES} of output each), chunks of one record merged into pieces of up to {@link #PIECE_BYTES}.
 * After the commit the new bytes go live ({@link OutputFeed}), so a live event never shows output a crash could lose.
 *
 * <p>Nothing is lost: the agent keeps the output until its result is acknowledged (agent.proto, OutputChunk). A chunk
 * that leaves a gap (some were lost with a stream, or dropped here because the queue was full) is not stored, and the
 * agent is asked (OutputRequest) to send again from the stored end; a result whose output is not all stored waits
 * for it, asked again every {@link #PATIENCE} without progress. An agent that cannot send it after
 * {@link #MAX_REQUESTS} requests (its spool file was lost) gets its result acknowledged with the output marked cut
 * where it ends.
 *
 * <p>Memory: the chunks queued and the batch being written together hold at most {@link #MAX_QUEUED_BYTES} of output
 * ({@link WriterQueue}), and a transaction copies at most {@link #MAX_BATCH_BYTES} twice more (merged pieces, the
 * driver's values), whatever the number of desktops or the size of their output: a burst beyond it is dropped here
 * and sent again by the agents, which keep it.
 */
@Context
public class OutputWriter implements AgentEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(OutputWriter.class);
    static final int PIECE_BYTES = 64 * 1024;
    static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    /**
     * Output per transaction. 16 MiB was tried (bench output, 2026-12-06): 20 desktops x 5 MiB stored in 17 s against
     * 20-25 s, 50 desktops no faster within the noise of a shared machine, and 40-50 MiB more live heap (152-172
     * against 113-118 MiB at 50 desktops). A bounded heap was the aim.
     */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    static final long PATIENCE = TimeUnit.SECONDS.toNanos(5);
    static final int MAX_REQUESTS = 3;
    private static final long TICK_MILLIS = 1_000;

    private final OutputStore store;
    private final OutputFeed feed;
    private final AgentGateway gateway;
    private final long cap;
    private final Thread thread;

    private final WriterQueue<Object> queue = new WriterQueue<>(MAX_QUEUED_BYTES, MAX_BATCH_BYTES);
    private final AtomicLong droppedChunks = new AtomicLong();

    // Writer thread only.
    private final Map<String, RecordOutput> active = new HashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> awaiting = new HashMap<>();

    public OutputWriter(OutputStore store, OutputFeed feed, AgentGateway gateway,
                        @Value("${deskfleet.output.max-bytes-per-record}") long cap) {
        this.store = store;
        this.feed = feed;
        this.gateway = gateway;
        this.cap = cap;
        this.thread = new Thread(this::run, "output-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private record Chunk(String desktopId, OutputChunk chunk) {
    }

    private record Result(String desktopId, InvocationResult result, CompletableFuture<Void> stored) {
    }

    private record Gone(String desktopId) {
    }

    private record Follow(String recordId, EventStream stream, long offset) {
    }

    @Override
    public void onOutput(String desktopId, OutputChunk chunk) {
        int size = chunk.getData().size();
        if (size == 0) {
            return;
        }
        if (!queue.offer(new Chunk(desktopId, chunk), size)) {
            // Not lost: the gap it leaves is asked for again.
            long dropped = droppedChunks.incrementAndGet();
            if (dropped % 1000 == 1) {
                LOG.warn("output queue full ({} bytes held); chunks dropped so far: {}", queue.heldBytes(), dropped);
            }
        }
    }

    @Override
    public CompletionStage<Void> onResult(String desktopId, InvocationResult result) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        queue.offer(new Result(desktopId, result, stored), 0);
        return stored;
    }

    @Override
    public void onDisconnected(String desktopId) {
        queue.offer(new Gone(desktopId), 0);
    }

    /** Starts a follower of a record's output (see {@link OutputFeed#follow}), after every chunk queued before. */
    void follow(String recordId, EventStream stream, long offset) {
        queue.offer(new Follow(recordId, stream, offset), 0);
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (true) {
            if (queue.isDrained()) {
                return;
            }
            WriterQueue.Batch<Object> batch;
            try {
                batch = queue.take(TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime()));
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (!batch.items().isEmpty()) {
                    process(batch.items());
                }
                if (System.nanoTime() - nextTick >= 0) {
                    tick();
                    nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                }
            } catch (RuntimeException e) {
                // A bug, not the database (writes are retried): start over from what is stored. Results still
                // waiting are not acknowledged; their agents send them again after their next reconnect.
                LOG.error("output writer failed; its records are read again from the database", e);
                active.keySet().forEach(feed::forget);
                active.clear();
                awaiting.clear();
            } finally {
                queue.release(batch);
            }
        }
    }

    /** What one batch changes; applied to the database in one transaction, then told. */
    private final class Batch {
        final Map<String, List<Piece>> pieces = new LinkedHashMap<>();
        final Set<RecordOutput> touched = new LinkedHashSet<>();
        final List<Runnable> afterCommit = new ArrayList<>();

        void store(RecordOutput record, long offset, byte[] data) {
            if (data.length == 0) {
                return;
            }
            pieces.computeIfAbsent(record.recordId, id -> new ArrayList<>()).add(new Piece(offset, data));
            touched.add(record);
            afterCommit.add(() -> feed.stored(record, offset, data));
        }

        /** Settled by its result row alone: followers get the bytes and the end, the output tables nothing. */
        void settledWithoutRow(RecordOutput record, byte[] data) {
            List<CompletableFuture<Void>> waiting = awaiting.remove(record.recordId);
            afterCommit.add(() -> {
                if (data.length > 0) {
                    feed.stored(record, 0, data);
                }
                feed.completed(record);
                if (waiting != null) {
                    waiting.forEach(f -> f.complete(null));
                }
            });
        }

        void settled(RecordOutput record) {
            touched.add(record);
            List<CompletableFuture<Void>> waiting = awaiting.remove(record.recordId);
            afterCommit.add(() -> {
                feed.completed(record);
                if (waiting != null) {
                    waiting.forEach(f -> f.complete(null));
                }
            });
        }
    }

    private record Piece(long offset, byte[] data) {
    }

    private void process(List<Object> items) {
        load(items);
        long now = System.nanoTime();
        Batch batch = new Batch();
        List<RecordOutput> requests = new ArrayList<>();
        List<Follow> follows = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof Chunk c) {
                chunk(c, batch, requests, now);
            } else if (item instanceof Result r) {
                result(r, batch, requests, now);
            } else if (item instanceof Gone g) {
                gone(g.desktopId());
            } else if (item instanceof Follow f) {
                follows.add(f);
            }
        }
        commit(batch);
        for (RecordOutput record : requests) {
            request(record);
        }
        for (Follow f : follows) {
            startFollower(f);
        }
        active.values().removeIf(r -> r.isComplete() && !awaiting.containsKey(r.recordId));
    }

    /** Reads, in one query, the records of this batch the writer does not hold yet. */
    private void load(List<Object> items) {
        Set<String> unknown = new HashSet<>();
        for (Object item : items) {
            String id = item instanceof Chunk c ? c.chunk().getInvocationId()
                    : item instanceof Result r ? r.result().getInvocationId()
                    : item instanceof Follow f ? f.recordId() : null;
            if (id != null && !active.containsKey(id)) {
                unknown.add(id);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        store.owners(unknown).forEach((id, o) -> active.put(id, new RecordOutput(id, o.projectId(), o.taskId(),
                o.desktopId(), cap, o.storedBytes(), o.complete(), o.truncated(), o.hasRow())));
    }

    private void chunk(Chunk c, Batch batch, List<RecordOutput> requests, long now) {
        RecordOutput record = active.get(c.chunk().getInvocationId());
        if (record == null || !record.desktopId.equals(c.desktopId())) {
            return; // not an invocation of this desktop: nothing of it is stored
        }
        RecordOutput.Accepted accepted = record.accept(c.chunk().getOffset(), c.chunk().getData().toByteArray(), now);
        switch (accepted.take()) {
            case NEW -> {
                batch.store(record, accepted.offset(), accepted.data());
                if (record.settleIfStored()) {
                    batch.settled(record);
                }
            }
            case GAP -> {
                if (record.takeRequest()) {
                    requests.add(record);
                }
            }
            case DUPLICATE, CLOSED -> {
            }
        }
    }

    private void result(Result r, Batch batch, List<RecordOutput> requests, long now) {
        InvocationResult result = r.result();
        RecordOutput record = active.get(result.getInvocationId());
        if (record == null || !record.desktopId.equals(r.desktopId()) || record.isComplete()) {
            // Not this desktop's (the engine ignores it too), or settled already: nothing to wait for.
            batch.afterCommit.add(() -> r.stored().complete(null));
            return;
        }
        awaiting.computeIfAbsent(record.recordId, id -> new ArrayList<>()).add(r.stored());
        if (!result.getOutputTruncated() || result.getFullOutputBytes() == 0) {
            // The excerpt is the whole output, or all the agent keeps (it predates full output).
            long before = record.stored();
            boolean nothingStored = !record.hasRow() && before == 0;
            byte[] fresh = record.completeWithExcerpt(result.getOutput().getBytes(StandardCharsets.UTF_8),
                    result.getOutputTruncated());
            if (nothingStored && !record.isTruncated()) {
                // A short command's whole output is its result row's excerpt, which GET .../output serves when a
                // record has no stored output (OutputStore.served): a second copy would cost every result two
                // inserts (the fan-out's control-plane CPU grew by a third with them, bench/RESULTS 2026-12-05).
                batch.settledWithoutRow(record, fresh);
                return;
            }
            batch.store(record, before, fresh);
            batch.settled(record);
            return;
        }
        record.resultSays(result.getFullOutputBytes(), result.getFullOutputTruncated(), now);
        if (record.isComplete()) {
            batch.settled(record);
        } else if (record.takeRequest()) {
            requests.add(record);
        }
    }

    /**
     * The desktop's stream ended: results waiting on its output stay unacknowledged (the agent sends them again
     * after it reconnects, and the wait starts over), and its records are read again from the database then.
     */
    private void gone(String desktopId) {
        active.values().removeIf(record -> {
            if (!record.desktopId.equals(desktopId)) {
                return false;
            }
            awaiting.remove(record.recordId);
            feed.forget(record.recordId);
            return true;
        });
    }

    private void commit(Batch batch) {
        if (batch.touched.isEmpty()) {
            batch.afterCommit.forEach(Runnable::run);
            return;
        }
        List<OutputStore.Piece> pieces = new ArrayList<>();
        batch.pieces.forEach((recordId, list) -> pieces.addAll(merge(recordId, list)));
        List<OutputStore.Extent> extents = batch.touched.stream().map(r -> new OutputStore.Extent(r.recordId,
                r.stored(), r.isComplete(), r.isTruncated(), r.hasRow())).toList();
        writeUntilCommitted(pieces, extents);
        batch.touched.forEach(RecordOutput::rowWritten);
        batch.afterCommit.forEach(Runnable::run);
    }

    /** A record's pieces of one batch are contiguous: they become pieces of up to {@link #PIECE_BYTES}. */
    static List<OutputStore.Piece> merge(String recordId, List<Piece> list) {
        List<OutputStore.Piece> merged = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        long start = list.get(0).offset();
        for (Piece p : list) {
            if (current.size() > 0 && (start + current.size() != p.offset()
                    || current.size() + p.data().length > PIECE_BYTES)) {
                merged.add(new OutputStore.Piece(recordId, start, current.toByteArray()));
                current.reset();
            }
            if (current.size() == 0) {
                start = p.offset();
            }
            current.write(p.data(), 0, p.data().length);
        }
        merged.add(new OutputStore.Piece(recordId, start, current.toByteArray()));
        return merged;
    }

    private void writeUntilCommitted(List<OutputStore.Piece> pieces, List<OutputStore.Extent> extents) {
        long backoffMillis = 100;
        while (true) {
            try {
                store.write(pieces, extents);
                return;
            } catch (RuntimeException e) {
                LOG.error("writing {} output pieces failed; retrying in {} ms", pieces.size(), backoffMillis, e);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while output was unwritten", e);
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private void request(RecordOutput record) {
        gateway.send(record.desktopId, ControlMessage.newBuilder().setOutputRequest(OutputRequest.newBuilder()
                .setInvocationId(record.recordId).setOffset(record.stored())).build());
    }

    /** Once a second: results whose output stopped coming are asked for it again, or given up on. */
    private void tick() {
        long now = System.nanoTime();
        Batch batch = new Batch();
        for (String recordId : List.copyOf(awaiting.keySet())) {
            RecordOutput record = active.get(recordId);
            if (record == null || !record.retry(now, PATIENCE)) {
                continue;
            }
            if (record.fruitlessRequests() > MAX_REQUESTS) {
                LOG.warn("record={} desktop={}: the agent did not send output from byte {} after {} requests;"
                        + " the output is kept cut there", recordId, record.desktopId, record.stored(), MAX_REQUESTS);
                record.settleShort();
                batch.settled(record);
            } else {
                request(record);
            }
        }
        commit(batch);
        feed.keepAlive(now);
    }

    private void startFollower(Follow f) {
        RecordOutput record = active.get(f.recordId());
        if (record == null) {
            f.stream().close();
            return;
        }
        long until = feed.catchUpEnd(record.recordId, record.stored());
        feed.follow(record.recordId, record.desktopId, f.stream(), f.offset(), until, record.isComplete(),
                record.isTruncated(), at -> store.read(record.recordId, at, until, OutputFeed.CATCH_UP_BYTES));
    }

    @PreDestroy
    void close() throws InterruptedException {
        queue.close();
        thread.join(30_000);
    }
}
