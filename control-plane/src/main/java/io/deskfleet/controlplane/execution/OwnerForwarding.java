package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.AgentMessage;

import java.util.concurrent.CompletableFuture;

/**
 * Hands an agent's message about a task to the replica that runs it (cluster.Inbox). A single node runs every task
 * of its database and never forwards.
 */
public interface OwnerForwarding {

    boolean enabled();

    /**
     * Stores the message for the task's owner.
     *
     * @return completes true once it is stored (a result may then be acknowledged to its agent), false when the task
     *         has no owner (it is over): the message is then handled where it arrived
     */
    CompletableFuture<Boolean> forward(String taskId, String desktopId, AgentMessage message);

    /** One node: nothing to forward to. */
    OwnerForwarding NONE = new OwnerForwarding() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public CompletableFuture<Boolean> forward(String taskId, String desktopId, AgentMessage message) {
            return CompletableFuture.completedFuture(false);
        }
    };
}
