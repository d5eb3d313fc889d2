package io.deskfleet.controlplane.agentlink;

import io.deskfleet.controlplane.db.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every pooled database connection taken, each by a thread of its own, until {@link #close}: a database slow to give
 * out connections (a task's take-over, a busy replica), as the Hello herd tests need it.
 */
final class HeldConnections implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> holders = new ArrayList<>();

    private HeldConnections() {
    }

    /** Returns once all {@code poolSize} connections are held; fails after 10 s. */
    static HeldConnections all(Database db, int poolSize) throws InterruptedException {
        HeldConnections hold = new HeldConnections();
        CountDownLatch held = new CountDownLatch(poolSize);
        for (int i = 0; i < poolSize; i++) {
            Thread holder = new Thread(() -> db.query(c -> {
                held.countDown();
                try {
                    hold.release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            holder.start();
            hold.holders.add(holder);
        }
        if (!held.await(10, TimeUnit.SECONDS)) {
            hold.close();
            fail("every pooled connection held");
        }
        return hold;
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        for (Thread holder : holders) {
            holder.join(10_000);
        }
    }
}
