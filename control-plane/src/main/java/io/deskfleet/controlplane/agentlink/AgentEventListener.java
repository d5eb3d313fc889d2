package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.OutputChunk;
import io.deskfleet.agent.v1.PowerStateChanged;
import io.deskfleet.agent.v1.SessionEvent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the agent link tells the rest of the control plane. Every bean implementing this is called, on gRPC
 * threads: implementations must not block (hand work to a queue instead).
 */
public interface AgentEventListener {

    /** A new desktop was created by an agent registering (drives POST_CREATE_DESKTOP_SUCCESS). */
    default void onRegistered(String desktopId) {
    }

    /** A stream was authenticated; hello carries boot id, power state and running invocations. */
    default void onConnected(String desktopId, Hello hello) {
    }

    /** The stream ended or heartbeats stopped; the desktop is offline. */
    default void onDisconnected(String desktopId) {
    }

    default void onStarted(String desktopId, InvocationStarted started) {
    }

    default void onOutput(String desktopId, OutputChunk chunk) {
    }

    /**
     * A result arrived (possibly again, after a reconnect). The returned stage completes once the result is durably
     * stored, or is known to be stored already; only then does the link send ResultAck to the agent.
     */
    default CompletionStage<Void> onResult(String desktopId, InvocationResult result) {
        return CompletableFuture.completedFuture(null);
    }

    default void onPowerStateChanged(String desktopId, PowerStateChanged change) {
    }

    default void onSessionEvent(String desktopId, SessionEvent event) {
    }
}
