package io.deskfleet.bench.swarm;

import io.deskfleet.link.Backoff;

import java.time.Duration;

/**
 * What a swarm registers into and how its agents answer commands.
 *
 * @param failFirst        the first this-many commands the swarm runs (across all agents) exit 1 instead of exitCode
 * @param reconnectBackoff first delay before reconnecting a broken stream; it doubles per failed attempt up to the
 *                         real agent's cap ({@link Backoff#STREAM_MAX_MILLIS}), each delay jittered so a server
 *                         restart is not hit by every agent at once; the default is the real agent's
 * @param inFlight         Register calls (and first handshakes) the swarm lets run at once; 0 (the default) for no
 *                         limit, as 10,000 real desktops starting together have none
 * @param agentsPerConnection simulated agents sharing one gRPC channel (one TCP connection, their streams
 *                         multiplexed by HTTP/2); 1, the default, is what a real fleet is: every desktop its own
 *                         connection, with its own Netty channel, HTTP/2 state, TLS session, descriptor and keepalive
 *                         in the control plane. More is an explicit option, named wherever it is used.
 */
public record SwarmConfig(String projectId, String poolId, String activationId, String activationCode, int agents,
                          int exitCode, Duration latency, int failFirst, Duration reconnectBackoff, int inFlight,
                          int agentsPerConnection) {

    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(Backoff.STREAM_INITIAL_MILLIS);

    public SwarmConfig {
        if (agents < 1) {
            throw new IllegalArgumentException("agents must be at least 1, got " + agents);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + latency);
        }
        if (inFlight < 0) {
            throw new IllegalArgumentException("in-flight must not be negative, got " + inFlight);
        }
        if (agentsPerConnection < 1) {
            throw new IllegalArgumentException("agents per connection must be at least 1, got " + agentsPerConnection);
        }
        if (failFirst < 0) {
            throw new IllegalArgumentException("fail-first must not be negative, got " + failFirst);
        }
    }

    /**
     * Agents that exit with exitCode after latency, none forced to fail, default reconnect backoff, each with its own
     * connection, all registering at once.
     */
    public static SwarmConfig of(String projectId, String poolId, String activationId, String activationCode,
                                 int agents, int exitCode, Duration latency) {
        return new SwarmConfig(projectId, poolId, activationId, activationCode, agents, exitCode, latency, 0,
                DEFAULT_RECONNECT_BACKOFF, 0, 1);
    }

    /** The same swarm with this many agents on each connection. */
    public SwarmConfig sharingConnections(int perConnection) {
        return new SwarmConfig(projectId, poolId, activationId, activationCode, agents, exitCode, latency, failFirst,
                reconnectBackoff, inFlight, perConnection);
    }

    /** Connections (gRPC channels) the swarm opens. */
    public int connections() {
        return (agents + agentsPerConnection - 1) / agentsPerConnection;
    }
}
