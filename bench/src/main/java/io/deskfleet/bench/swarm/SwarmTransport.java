package io.deskfleet.bench.swarm;

import io.grpc.Attributes;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollChannelOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a swarm's connections reach the control plane: plaintext or TLS, to which of its addresses (several replicas:
 * connection i starts on address i % count, see {@link #address}), and from which loopback source address.
 * A source address has one ephemeral port range (Linux: /proc/sys/net/ipv4/ip_local_port_range, 28,232 ports by
 * default), so past that many connections they are spread over 127.0.0.1, 127.0.0.2, ... (all of 127/8 is loopback
 * on Linux) with an explicit bind before connect.
 */
public final class SwarmTransport implements SwarmAddresses {
    /** Ports of a range left to everything else that connects from the same address (REST, the agents, TIME_WAIT). */
    private static final double PORT_SHARE = 0.8;

    private final List<String> targets;
    private final SwarmAddresses inTurn;
    private final ChannelCredentials credentials;
    private final boolean tls;
    private final int connectionsPerAddress;
    private final int addresses;

    private SwarmTransport(List<String> targets, ChannelCredentials credentials, boolean tls, int connections) {
        this.targets = List.copyOf(targets);
        this.inTurn = SwarmAddresses.inTurn(targets.size(),
                (connection, address) -> builder(connection, this.targets.get(address)));
        this.credentials = credentials;
        this.tls = tls;
        this.connectionsPerAddress = (int) (ephemeralPorts() * PORT_SHARE);
        this.addresses = Math.max(1, (connections + connectionsPerAddress - 1) / connectionsPerAddress);
        if (addresses > 254) {
            throw new IllegalArgumentException(connections + " connections need more than 254 loopback addresses");
        }
    }

    /** Plaintext connections to host:port, for this many connections. */
    public static SwarmTransport plaintext(String target, int connections) {
        return plaintext(List.of(target), connections);
    }

    /** Plaintext connections spread over several host:port addresses (replicas), for this many connections. */
    public static SwarmTransport plaintext(List<String> targets, int connections) {
        return new SwarmTransport(targets, InsecureChannelCredentials.create(), false, connections);
    }

    /** TLS connections to host:port, trusting the certificates (PEM) in caCert, for this many connections. */
    public static SwarmTransport tls(String target, Path caCert, int connections) {
        try {
            return new SwarmTransport(List.of(target), TlsChannelCredentials.newBuilder().trustManager(caCert.toFile()).build(),
                    true, connections);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + caCert, e);
        }
    }

    @Override
    public ManagedChannelBuilder<?> builder(int connection, int failovers) {
        return inTurn.builder(connection, failovers);
    }

    private ManagedChannelBuilder<?> builder(int connection, String target) {
        InetSocketAddress source = new InetSocketAddress(sourceAddress(connection / connectionsPerAddress), 0);
        return NettyChannelBuilder.forTarget(target, credentials)
                // The port is picked at connect, for the whole 4-tuple. Picked at bind, as without it, each new
                // connection searched the source address's whole range for a port free for any destination: past
                // 20,000 connections a reconnecting herd kept the swarm's event loops in the kernel's bind() for
                // seconds, its established streams' heartbeats waited, and the control plane closed them as silent
                // (bench replicas at 30,000, 2026-12-07: thread dumps of a part, 30 % system CPU).
                .withOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true)
                .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                    @Override
                    public SocketAddress createSocketAddress(SocketAddress remoteAddress, Attributes attrs) {
                        return source;
                    }
                });
    }

    /** See {@link SwarmAddresses#inTurn}. */
    @Override
    public int address(int connection, int failovers) {
        return inTurn.address(connection, failovers);
    }

    @Override
    public int count() {
        return targets.size();
    }

    /** For a row's name: transport and source addresses. */
    public String describe() {
        return (tls ? "TLS" : "plaintext") + " from " + (addresses == 1 ? "127.0.0.1"
                : "127.0.0.1-127.0.0." + addresses);
    }

    /** For the log: {@link #describe()} and why that many addresses. */
    public String detail() {
        return describe() + " (at most " + connectionsPerAddress + " connections per source address: "
                + (int) (PORT_SHARE * 100) + "% of its " + ephemeralPorts() + " ephemeral ports)";
    }

    private static InetAddress sourceAddress(int index) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + index)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The size of the kernel's ephemeral port range; the Linux default where it cannot be read. */
    static int ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 60999 - 32768 + 1;
        }
    }
}
