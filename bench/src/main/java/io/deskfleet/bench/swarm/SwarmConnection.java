package io.deskfleet.bench.swarm;

import io.grpc.Channel;
import io.grpc.ManagedChannel;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One connection of a swarm (one TCP connection, shared by {@link SwarmConfig#agentsPerConnection} agents). With
 * several addresses, a stream failing on it moves the connection to the next address: a new channel, the old one
 * shut down, so it still costs one descriptor.
 */
final class SwarmConnection {
    private final int index;
    private final SwarmAddresses addresses;
    private final Executor executor;
    private ManagedChannel channel;
    private int failovers;

    SwarmConnection(int index, SwarmAddresses addresses, Executor executor) {
        this.index = index;
        this.addresses = addresses;
        this.executor = executor;
        this.channel = addresses.builder(index, 0).executor(executor).build();
    }

    synchronized Channel channel() {
        return channel;
    }

    /** Whether a failed stream moves to another address (as the real agent given several does). */
    boolean several() {
        return addresses.count() > 1;
    }

    /** The index of the address the connection uses now. */
    synchronized int address() {
        return addresses.address(index, failovers);
    }

    /**
     * A stream on {@code failed} ended: later streams go to the next address. Agents sharing the connection all
     * report it; only the first, whose channel is still the current one, moves it.
     */
    synchronized void streamFailed(Channel failed) {
        if (addresses.count() == 1 || failed != channel) {
            return;
        }
        channel.shutdownNow();
        failovers++;
        channel = addresses.builder(index, failovers).executor(executor).build();
    }

    synchronized void shutdownNow() {
        channel.shutdownNow();
    }

    void awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        ManagedChannel current;
        synchronized (this) {
            current = channel;
        }
        current.awaitTermination(timeout, unit);
    }
}
