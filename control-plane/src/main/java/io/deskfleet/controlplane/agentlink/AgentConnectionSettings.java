package io.deskfleet.controlplane.agentlink;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.util.concurrent.TimeUnit;

/**
 * Per-connection settings of the agent port. Every desktop holds one connection of its own, so what each costs is
 * multiplied by the fleet (issue 24: 100,000 connections on one control plane), and these are the knobs that are not
 * needed per connection.
 */
final class AgentConnectionSettings {
    /** A client or proxy may ping an idle connection this often (netty allows one per 5 min); a faster one gets GOAWAY. */
    static final long PERMIT_KEEPALIVE_SECONDS = 10;

    private AgentConnectionSettings() {
    }

    static NettyServerBuilder applyTo(NettyServerBuilder builder) {
        return builder
                .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                // No server-initiated HTTP/2 pings: an agent sends a heartbeat every heartbeat-interval and the
                // PresenceMonitor closes a stream silent for offline-after, which finds a dead peer sooner than
                // gRPC's default 2-hour keepalive. Off, a connection carries no KeepAliveManager and no timer task on
                // its event loop (about 200 bytes of heap each, measured with jmap -histo at 2,000 connections).
                .keepAliveTime(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }
}
