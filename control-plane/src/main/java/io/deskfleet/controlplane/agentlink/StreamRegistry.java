package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.Hello;

import java.util.concurrent.CompletableFuture;

/**
 * Who holds each desktop's stream, beyond this process. A single node needs no registry (its sessions map is the
 * truth); replicas record it in the database (cluster.SessionRegistry), so commands find the replica holding the
 * desktop and a stale stream elsewhere is closed.
 */
public interface StreamRegistry {

    /**
     * Before the agent server starts: this process holds no stream yet. Marks offline the desktops nobody else holds;
     * returns how many.
     */
    int reset();

    /** The desktop's stream opened here (its Hello is authenticated); completes with the stream's epoch. */
    CompletableFuture<Long> opened(String desktopId, Hello hello);

    /**
     * The stream of that epoch ended here.
     *
     * @return false when the desktop has a newer stream elsewhere: it is not offline
     */
    boolean closed(String desktopId, long epoch);
}
