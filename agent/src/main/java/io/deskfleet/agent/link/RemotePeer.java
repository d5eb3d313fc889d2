package io.deskfleet.agent.link;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * Tells which address a call reached, from its transport when the response headers arrive (before any message),
 * so the agent can log which control plane replica holds its stream. gRPC's stream observers do not expose it.
 */
final class RemotePeer implements ClientInterceptor {
    private final Consumer<SocketAddress> reached;

    RemotePeer(Consumer<SocketAddress> reached) {
        this.reached = reached;
    }

    /** {@code cp2:9090 (10.0.0.2)} for a name, {@code 10.0.0.2:9090} for an address given as such. */
    static String describe(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        String host = inet.getHostString();
        String named = (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        if (inet.getAddress() == null) {
            return named;
        }
        String ip = inet.getAddress().getHostAddress();
        return ip.equals(host) ? named : named + " (" + ip + ")";
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                ClientCall<Q, R> call = this;
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onHeaders(Metadata responseHeaders) {
                        reached.accept(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
                        super.onHeaders(responseHeaders);
                    }
                }, headers);
            }
        };
    }
}
