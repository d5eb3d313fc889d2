package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.InvocationResult;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Fans agent events out to every {@link AgentEventListener}. Listeners are looked up on first use, so they may
 * themselves depend on {@link AgentGateway}. One failing listener never keeps the others from hearing an event.
 */
@Singleton
public class AgentEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEvents.class);

    private final BeanProvider<AgentEventListener> provider;
    private volatile List<AgentEventListener> listeners;

    public AgentEvents(BeanProvider<AgentEventListener> provider) {
        this.provider = provider;
    }

    private List<AgentEventListener> listeners() {
        List<AgentEventListener> current = listeners;
        if (current == null) {
            current = provider.stream().toList();
            listeners = current;
        }
        return current;
    }

    void each(String event, String desktopId, Consumer<AgentEventListener> call) {
        for (AgentEventListener listener : listeners()) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("agent event listener failed event={} desktop={} listener={}", event, desktopId,
                        listener.getClass().getName(), e);
            }
        }
    }

    void connected(String desktopId, Hello hello) {
        each("connected", desktopId, l -> l.onConnected(desktopId, hello));
    }

    /** Completes when every listener's stage completed; fails when any failed (then no ResultAck is sent). */
    CompletableFuture<Void> result(String desktopId, InvocationResult result) {
        List<AgentEventListener> all = listeners();
        CompletableFuture<?>[] stages = new CompletableFuture<?>[all.size()];
        for (int i = 0; i < all.size(); i++) {
            try {
                stages[i] = all.get(i).onResult(desktopId, result).toCompletableFuture();
            } catch (RuntimeException e) {
                stages[i] = CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.allOf(stages);
    }
}
