package io.deskfleet.bench.swarm;

import io.grpc.ManagedChannelBuilder;

import java.util.function.IntFunction;

/**
 * Where a swarm's connections go: one control-plane address, or several replicas' addresses tried in turn. A
 * connection starts on one address and, when a stream on it fails, its agents reconnect to the next one in that
 * connection's order, as the real agent does with a list of addresses.
 */
public interface SwarmAddresses {

    /**
     * A fresh builder for this connection (counted from 0) to the address it uses after this many failovers; the
     * swarm sets its executor.
     */
    ManagedChannelBuilder<?> builder(int connection, int failovers);

    /** The index, in the configured list, of the address {@link #builder} connects to. */
    int address(int connection, int failovers);

    /** How many addresses there are; with one, a failed stream reconnects on the same channel. */
    int count();

    /** A fresh builder for this connection to the address of this index. */
    interface Builders {
        ManagedChannelBuilder<?> to(int connection, int address);
    }

    /**
     * Several addresses tried in turn: connection c of k starts on address c % k and fails over to the others, then
     * back to its first. The order of the others alternates between neighbouring groups of k connections, so the
     * connections of an address that goes away spread evenly over the rest instead of all landing on the next one.
     */
    static SwarmAddresses inTurn(int count, Builders builders) {
        if (count < 1) {
            throw new IllegalArgumentException("no address to connect to");
        }
        return new SwarmAddresses() {
            @Override
            public ManagedChannelBuilder<?> builder(int connection, int failovers) {
                return builders.to(connection, address(connection, failovers));
            }

            @Override
            public int address(int connection, int failovers) {
                int first = connection % count;
                int step = failovers % count;
                if (step == 0) {
                    return first;
                }
                int other = (step - 1 + connection / count) % (count - 1);
                return (first + 1 + other) % count;
            }

            @Override
            public int count() {
                return count;
            }
        };
    }

    /** One address: every connection's builder from this function, and no failover. */
    static SwarmAddresses single(IntFunction<ManagedChannelBuilder<?>> builders) {
        return new SwarmAddresses() {
            @Override
            public ManagedChannelBuilder<?> builder(int connection, int failovers) {
                return builders.apply(connection);
            }

            @Override
            public int address(int connection, int failovers) {
                return 0;
            }

            @Override
            public int count() {
                return 1;
            }
        };
    }

    /** The same addresses, connection 0 being this one's connection {@code offset}: swarms sharing one spread. */
    default SwarmAddresses from(int offset) {
        SwarmAddresses all = this;
        return new SwarmAddresses() {
            @Override
            public ManagedChannelBuilder<?> builder(int connection, int failovers) {
                return all.builder(offset + connection, failovers);
            }

            @Override
            public int address(int connection, int failovers) {
                return all.address(offset + connection, failovers);
            }

            @Override
            public int count() {
                return all.count();
            }
        };
    }
}
