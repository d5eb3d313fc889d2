package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.Hello;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

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

    /** What {@link #opened} completes with for a stream that ended before its turn came: nothing was recorded. */
    long NOT_RECORDED = -1;

    /**
     * The desktop's stream opened here (its Hello is authenticated); completes with the stream's epoch, or with
     * {@link #NOT_RECORDED} when {@code gone} says by the time of the write that the stream has ended.
     */
    CompletableFuture<Long> opened(String desktopId, Hello hello, BooleanSupplier gone);

    /**
     * The stream of that epoch ended here.
     *
     * @return false when the desktop has a newer stream elsewhere: it is not offline
     */
    boolean closed(String desktopId, long epoch);
}
