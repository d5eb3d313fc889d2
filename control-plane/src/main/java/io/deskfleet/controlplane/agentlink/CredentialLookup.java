package io.deskfleet.controlplane.agentlink;

import io.deskfleet.controlplane.inventory.DesktopStore;
import io.deskfleet.controlplane.inventory.DesktopStore.DesktopCredential;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
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

/**
 * The credentials Hellos are checked against, read on a thread of their own, whatever was asked for while the last
 * read ran in one query.
 * <p>
 * Why not read on the gRPC executor: its few threads also take every heartbeat. A herd of reconnecting desktops (a
 * replica's share after its kill) blocked them all on the database, waiting for a pooled connection behind a task's
 * take-over, so the established streams' heartbeats went unread for 15 s and the presence sweep closed thousands of
 * healthy streams, which then joined the herd (bench replicas, 30,000 desktops, 2026-12-06).
 */
@Singleton
public class CredentialLookup {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialLookup.class);
    private static final int MAX_BATCH = 5_000;

    private record Request(String desktopId, CompletableFuture<Optional<DesktopCredential>> found) {
    }

    private final DesktopStore desktops;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread reader;

    public CredentialLookup(DesktopStore desktops) {
        this.desktops = desktops;
        this.reader = new Thread(this::run, "agent-credentials");
        reader.setDaemon(true);
        reader.start();
    }

    /** The desktop's credential, or empty if there is no such desktop; fails if the database could not be read. */
    public CompletableFuture<Optional<DesktopCredential>> credential(String desktopId) {
        CompletableFuture<Optional<DesktopCredential>> found = new CompletableFuture<>();
        queue.add(new Request(desktopId, found));
        return found;
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            read(batch);
            batch.clear();
        }
    }

    private void read(List<Request> batch) {
        Set<String> ids = new LinkedHashSet<>();
        batch.forEach(r -> ids.add(r.desktopId()));
        Map<String, DesktopCredential> found;
        try {
            found = desktops.credentials(ids);
        } catch (RuntimeException e) {
            // Each Hello is answered UNAVAILABLE and its agent tries again: nothing to keep here.
            LOG.warn("reading {} desktop credentials failed: {}", ids.size(), e.toString());
            batch.forEach(r -> r.found().completeExceptionally(e));
            return;
        }
        batch.forEach(r -> r.found().complete(Optional.ofNullable(found.get(r.desktopId()))));
    }

    @PreDestroy
    void close() {
        reader.interrupt();
    }
}
