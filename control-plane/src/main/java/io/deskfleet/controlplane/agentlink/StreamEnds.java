package io.deskfleet.controlplane.agentlink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * deskfleet.agent.streams.ended{why}: how welcomed agent streams ended on this control plane. Every reason is
 * registered at 0, so a scrape tells "none" from "not counted". It tells an operator whether desktops drop by
 * themselves (their side or the network: {@link Why#AGENT}) or are closed here, for instance by the presence sweep
 * when heartbeats went unread on an overloaded replica.
 */
@Singleton
public class StreamEnds {
    public enum Why {
        /** The agent ended the stream, or its connection broke. */
        AGENT,
        /** No message within deskfleet.agent.offline-after (PresenceMonitor). */
        NO_HEARTBEAT,
        /** A newer stream of the same desktop arrived here. */
        REPLACED,
        /** Replicas: a newer stream of the desktop is held by another replica, or the registry names none here. */
        MOVED,
        /** The desktop was deleted. */
        REVOKED,
        /** This control plane is shutting down. */
        SHUTDOWN;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Why, Counter> counters = new EnumMap<>(Why.class);

    public StreamEnds(MeterRegistry registry) {
        for (Why why : Why.values()) {
            counters.put(why, Counter.builder("deskfleet.agent.streams.ended")
                    .description("Welcomed agent streams that ended here, by why")
                    .tag("why", why.tag())
                    .register(registry));
        }
    }

    void count(Why why) {
        counters.get(why).increment();
    }
}
