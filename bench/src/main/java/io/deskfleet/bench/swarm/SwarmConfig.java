package io.deskfleet.bench.swarm;

import java.time.Duration;

/**
 * What a swarm registers into and how its agents answer commands.
 *
 * @param failFirst        the first this-many commands the swarm runs (across all agents) exit 1 instead of exitCode
 * @param reconnectBackoff first delay before reconnecting a broken stream; it doubles per failed attempt up to
 *                         {@link #MAX_RECONNECT_BACKOFF}, each delay jittered so a server restart is not hit by every
 *                         agent at once
 * @param inFlight         Register calls (and first handshakes) the swarm lets run at once; 0 for no limit, as
 *                         10,000 real desktops starting together have none
 */
public record SwarmConfig(String projectId, String poolId, String activationId, String activationCode, int agents,
                          int exitCode, Duration latency, int failFirst, Duration reconnectBackoff, int inFlight) {

    /** HTTP/2 multiplexes streams, so a few connections carry all agents. */
    public static final int AGENTS_PER_CHANNEL = 1000;
    /** Default registrations (and first handshakes) in flight at once: the server sees a steady stream, not a herd. */
    public static final int MAX_IN_FLIGHT = 64;
    public static final Duration MAX_RECONNECT_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(500);

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
        if (failFirst < 0) {
            throw new IllegalArgumentException("fail-first must not be negative, got " + failFirst);
        }
    }

    /** Agents that exit with exitCode after latency, none forced to fail, default reconnect backoff. */
    public static SwarmConfig of(String projectId, String poolId, String activationId, String activationCode,
                                 int agents, int exitCode, Duration latency) {
        return new SwarmConfig(projectId, poolId, activationId, activationCode, agents, exitCode, latency, 0,
                DEFAULT_RECONNECT_BACKOFF, MAX_IN_FLIGHT);
    }

    /** The same swarm with no client-side limit: every agent registers and connects at once. */
    public SwarmConfig unthrottled() {
        return new SwarmConfig(projectId, poolId, activationId, activationCode, agents, exitCode, latency, failFirst,
                reconnectBackoff, 0);
    }
}
