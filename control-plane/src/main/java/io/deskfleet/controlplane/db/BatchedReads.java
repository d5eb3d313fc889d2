package io.deskfleet.controlplane.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Reads by key on a thread of its own, whatever was asked for while the last read ran in one go: a herd of
 * thousands of lookups (Hellos of reconnecting desktops) costs a handful of queries and one pooled connection at a
 * time, and never blocks the threads that ask.
 *
 * @param <K> the key
 * @param <V> what is read for a key; a key the read does not return completes empty
 */
public final class BatchedReads<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(BatchedReads.class);
    private static final int MAX_BATCH = 5_000;

    private record Request<K, V>(K key, CompletableFuture<Optional<V>> found) {
    }

    private final String name;
    private final Function<Set<K>, Map<K, V>> read;
    private final LinkedBlockingQueue<Request<K, V>> queue = new LinkedBlockingQueue<>();
    private final Thread reader;

    /** @param read one query for a set of keys; a failure fails every lookup of the batch */
    public BatchedReads(String name, Function<Set<K>, Map<K, V>> read) {
        this.name = name;
        this.read = read;
        this.reader = new Thread(this::run, name);
        reader.setDaemon(true);
        reader.start();
    }

    public CompletableFuture<Optional<V>> get(K key) {
        CompletableFuture<Optional<V>> found = new CompletableFuture<>();
        queue.add(new Request<>(key, found));
        return found;
    }

    private void run() {
        List<Request<K, V>> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            answer(batch);
            batch.clear();
        }
    }

    private void answer(List<Request<K, V>> batch) {
        Set<K> keys = new LinkedHashSet<>();
        batch.forEach(r -> keys.add(r.key()));
        Map<K, V> found;
        try {
            found = read.apply(keys);
        } catch (RuntimeException e) {
            LOG.warn("{}: reading {} keys failed: {}", name, keys.size(), e.toString());
            batch.forEach(r -> r.found().completeExceptionally(e));
            return;
        }
        batch.forEach(r -> r.found().complete(Optional.ofNullable(found.get(r.key()))));
    }

    /** Stops the reader; lookups still queued are not answered. */
    public void close() {
        reader.interrupt();
    }
}
