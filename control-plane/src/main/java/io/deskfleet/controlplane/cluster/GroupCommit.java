package io.deskfleet.controlplane.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One thread that writes whatever was queued while it wrote the previous batch, in one go (group commit): a burst of
 * thousands of rows costs a handful of transactions, and a lone row is written at once. A failed batch is retried
 * with backoff; nothing queued is dropped.
 */
final class GroupCommit<T> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 5_000;

    private final Consumer<List<T>> write;
    private final Object lock = new Object();
    private List<T> pending = new ArrayList<>();

    GroupCommit(String name, Consumer<List<T>> write) {
        this.write = write;
        Thread thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void add(T item) {
        synchronized (lock) {
            pending.add(item);
            lock.notifyAll();
        }
    }

    private void run() {
        while (true) {
            List<T> batch;
            synchronized (lock) {
                while (pending.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.size() > MAX_BATCH) {
                    batch = new ArrayList<>(pending.subList(0, MAX_BATCH));
                    pending = new ArrayList<>(pending.subList(MAX_BATCH, pending.size()));
                } else {
                    batch = pending;
                    pending = new ArrayList<>();
                }
            }
            long backoffMillis = 100;
            while (true) {
                try {
                    write.accept(batch);
                    break;
                } catch (RuntimeException e) {
                    LOG.error("writing {} rows failed; retrying in {} ms", batch.size(), backoffMillis, e);
                    try {
                        Thread.sleep(backoffMillis);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    backoffMillis = Math.min(backoffMillis * 2, 5_000);
                }
            }
        }
    }
}
