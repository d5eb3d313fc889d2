package io.deskfleet.controlplane.agentlink;

import io.deskfleet.controlplane.db.BatchedReads;
import io.deskfleet.controlplane.inventory.DesktopStore;
import io.deskfleet.controlplane.inventory.DesktopStore.DesktopCredential;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The credentials Hellos are checked against, read in batches on a thread of their own ({@link BatchedReads}).
 * <p>
 * Why not read on the gRPC executor: its few threads also take every heartbeat. A herd of reconnecting desktops (a
 * replica's share after its kill) blocked them all on the database, waiting for a pooled connection behind a task's
 * take-over, so the established streams' heartbeats went unread for 15 s and the presence sweep closed healthy
 * streams, which then joined the herd (bench replicas, 30,000 desktops, 2026-12-06; HeartbeatsDuringAHelloHerdTest).
 */
@Singleton
public class CredentialLookup {
    private final BatchedReads<String, DesktopCredential> reads;

    public CredentialLookup(DesktopStore desktops) {
        this.reads = new BatchedReads<>("agent-credentials", desktops::credentials);
    }

    /** The desktop's credential, or empty if there is no such desktop; fails if the database could not be read. */
    public CompletableFuture<Optional<DesktopCredential>> credential(String desktopId) {
        return reads.get(desktopId);
    }

    @PreDestroy
    void close() {
        reads.close();
    }
}
