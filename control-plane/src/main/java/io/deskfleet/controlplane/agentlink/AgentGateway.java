package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.ControlMessage;

/** Sends to connected agents. Implemented by the gRPC link; used by execution, power actions and schedules. */
public interface AgentGateway {

    /**
     * Queues a message on the desktop's live stream without blocking.
     *
     * @return false when the desktop has no live stream now (the caller keeps the work and retries on reconnect)
     */
    boolean send(String desktopId, ControlMessage message);

    boolean isConnected(String desktopId);

    /** Closes the desktop's stream at once, telling the agent its credential is no longer valid. */
    void revoke(String desktopId);
}
