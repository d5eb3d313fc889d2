package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;
import io.deskfleet.bench.swarm.CommandArrival;
import io.deskfleet.bench.swarm.DesktopSwarm;
import io.deskfleet.bench.swarm.SwarmConfig;
import io.deskfleet.bench.swarm.SwarmTransport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * N simulated desktops in one pool, in the runner's JVM. An activation registers at most
 * {@link BenchRunner#MAX_PER_ACTIVATION} desktops (the API's cap on registration_limit), so a larger fleet is
 * several swarms, one activation each, all registering at once: one herd, as desktops powered on together are.
 */
final class Fleet implements AutoCloseable {
    private final List<DesktopSwarm> swarms;

    private Fleet(List<DesktopSwarm> swarms) {
        this.swarms = swarms;
    }

    /**
     * @param perConnection agents sharing one connection (1: each its own)
     * @return once every agent has registered and had its first handshake answered
     */
    static Fleet start(ControlPlaneApi api, String poolId, int n, int perConnection, SwarmTransport transport,
                       Consumer<CommandArrival> arrivals) throws Exception {
        List<Activation> activations = new ArrayList<>();
        for (int from = 0; from < n; from += BenchRunner.MAX_PER_ACTIVATION) {
            activations.add(api.createActivation(poolId, Math.min(BenchRunner.MAX_PER_ACTIVATION, n - from)));
        }
        ExecutorService starters = Executors.newFixedThreadPool(activations.size());
        List<Future<DesktopSwarm>> starting = new ArrayList<>();
        int connectionOffset = 0;
        for (int i = 0; i < activations.size(); i++) {
            Activation activation = activations.get(i);
            int agents = Math.min(BenchRunner.MAX_PER_ACTIVATION, n - i * BenchRunner.MAX_PER_ACTIVATION);
            SwarmConfig config = SwarmConfig.of(BenchRunner.PROJECT_ID, poolId, activation.id(), activation.code(),
                    agents, 0, Duration.ZERO).sharingConnections(perConnection);
            int offset = connectionOffset;
            connectionOffset += config.connections();
            starting.add(starters.submit(() -> DesktopSwarm.start(config, transport.from(offset),
                    arrivals)));
        }
        starters.shutdown();
        List<DesktopSwarm> started = new ArrayList<>();
        Exception failure = null;
        for (Future<DesktopSwarm> swarm : starting) {
            try {
                started.add(swarm.get());
            } catch (ExecutionException e) {
                failure = failure == null && e.getCause() instanceof Exception cause ? cause : failure;
            }
        }
        Fleet fleet = new Fleet(started);
        if (failure != null) {
            fleet.close();
            throw failure;
        }
        return fleet;
    }

    void awaitConnected(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (DesktopSwarm swarm : swarms) {
            swarm.awaitConnected(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** The first swarm: the dispatch-latency fleet is one agent. */
    DesktopSwarm first() {
        return swarms.get(0);
    }

    int gaveUp() {
        return swarms.stream().mapToInt(DesktopSwarm::gaveUp).sum();
    }

    long registerCalls() {
        return swarms.stream().mapToLong(DesktopSwarm::registerCalls).sum();
    }

    long registerShed() {
        return swarms.stream().mapToLong(DesktopSwarm::registerShed).sum();
    }

    @Override
    public void close() {
        swarms.forEach(DesktopSwarm::close);
    }
}
