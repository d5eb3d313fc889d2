package io.deskfleet.agent.link;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The control plane addresses of {@code --server}, one gRPC channel each, in an order drawn at random per agent:
 * Register and the Connect stream use the current one, and an attempt that failed moves them to the next (issue 23,
 * control plane replicas). One address is one channel, as before replicas.
 * <p>
 * Why a channel per address that the agent rotates through, rather than one channel over every address whose load
 * balancer picks:
 * <ul>
 * <li>Failover to another replica however the first one failed. {@code pick_first} over all addresses starts again
 * from its first address after a connection drops and skips an address only when connecting to it fails; a replica
 * that hangs (a stopped process whose kernel still completes TCP handshakes) keeps that connection attempt open
 * with no end (measured on grpc-java 1.85: plaintext agents whose order started with such an address were still not
 * connected after 45 s). Here the agent itself decides that an attempt failed (an error, or no Welcome in time, see
 * {@link ControlLink}) and takes the next channel, whose connect backoff is not the dead address's.</li>
 * <li>Sticky: a stream stays on its channel, so on one replica, for as long as it lives. {@code round_robin} would
 * hold a connection to every replica, three per desktop against the servers' connection budget.</li>
 * <li>Spread: the order is shuffled per agent, so a herd splits about evenly over the replicas and the desktops of a
 * replica that died over the ones left, each to its own next. The herd protection is unchanged: the next attempt
 * still waits out the jittered backoff (0.1-0.2 s after a stream that was up, at most 5 s).</li>
 * </ul>
 * The channel left behind is made idle, which closes what connection or attempt it still had. A name that resolves
 * to several addresses is one entry: gRPC's dns resolver gives its channel every address and {@code pick_first},
 * with the list shuffled per agent, spreads over them and skips the ones that refuse or (after
 * {@link #CONNECT_TIMEOUT_MILLIS}) do not answer. Every channel pings its connection after
 * {@link #KEEPALIVE_SECONDS} s without a frame from the control plane and drops it when no answer comes within
 * {@link #KEEPALIVE_TIMEOUT_SECONDS} s: that is how a replica that went silent under a live stream is found (the
 * control plane permits a ping every 10 s).
 */
public final class ReplicaChannels {
    static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    static final long KEEPALIVE_SECONDS = 15;
    static final long KEEPALIVE_TIMEOUT_SECONDS = 5;
    private static final Map<String, ?> SHUFFLED_PICK_FIRST = Map.of("loadBalancingConfig",
            List.of(Map.of("pick_first", Map.of("shuffleAddressList", true))));

    private final List<ManagedChannel> channels;
    private int current;

    private ReplicaChannels(List<ManagedChannel> channels) {
        this.channels = List.copyOf(channels);
    }

    /**
     * @param servers host and port of each control plane address as given (unresolved), at least one
     * @param random draws this agent's order of the addresses
     */
    public static ReplicaChannels connect(List<InetSocketAddress> servers, ChannelCredentials credentials,
                                          Random random) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no control plane address");
        }
        List<ManagedChannel> channels = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            channels.add(NettyChannelBuilder.forAddress(server.getHostString(), server.getPort(), credentials)
                    .defaultServiceConfig(SHUFFLED_PICK_FIRST)
                    .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MILLIS)
                    .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                    .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .build());
        }
        Collections.shuffle(channels, random);
        return new ReplicaChannels(channels);
    }

    /** A single channel built elsewhere (an in-process one in tests). */
    public static ReplicaChannels of(ManagedChannel channel) {
        return new ReplicaChannels(List.of(channel));
    }

    /** The channel the next attempt goes through. */
    public synchronized ManagedChannel current() {
        return channels.get(current);
    }

    /**
     * The attempt through {@link #current} failed: the next attempt goes to the next address in this agent's
     * order, and the failed channel drops what it still holds. With one address, nothing changes.
     */
    public synchronized void failover() {
        if (channels.size() == 1) {
            return;
        }
        ManagedChannel failed = channels.get(current);
        current = (current + 1) % channels.size();
        failed.enterIdle();
    }

    public boolean several() {
        return channels.size() > 1;
    }

    /** Shuts every channel down, waiting up to {@code millis} for their calls to end. */
    public void shutdown(long millis) throws InterruptedException {
        channels.forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ManagedChannel channel : channels) {
            if (!channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                channel.shutdownNow();
            }
        }
    }
}
