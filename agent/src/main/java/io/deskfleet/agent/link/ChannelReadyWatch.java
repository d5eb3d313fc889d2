package io.deskfleet.agent.link;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

import java.util.concurrent.Executor;

/**
 * Tells when a channel that was not connected becomes READY, so a retry waiting out its backoff can go at once.
 * gRPC's pick_first keeps a channel in TRANSIENT_FAILURE ("sticky") while it reconnects, so a call started right
 * after {@link ManagedChannel#resetConnectBackoff()} still fails fast; this lets the next attempt follow the
 * reconnection instead of a whole backoff step later. At most one watch is registered with the channel at a time.
 */
final class ChannelReadyWatch {
    private final ManagedChannel channel;
    private final Executor executor;
    private final Runnable onReady;
    private boolean armed;

    ChannelReadyWatch(ManagedChannel channel, Executor executor, Runnable onReady) {
        this.channel = channel;
        this.executor = executor;
        this.onReady = onReady;
    }

    /**
     * If the channel is not READY now, runs {@code onReady} on the executor once it is (gRPC calls back on the
     * channel's own executor). Does nothing while armed,
     * nor when READY already: a failure on a connected channel came from the server, whose backoff must be kept.
     */
    synchronized void arm() {
        if (armed) {
            return;
        }
        ConnectivityState state = channel.getState(false);
        if (state == ConnectivityState.READY || state == ConnectivityState.SHUTDOWN) {
            return;
        }
        armed = true;
        channel.notifyWhenStateChanged(state, this::changed);
    }

    private void changed() {
        synchronized (this) {
            ConnectivityState state = channel.getState(false);
            if (state != ConnectivityState.READY) {
                if (state == ConnectivityState.SHUTDOWN) {
                    armed = false;
                } else {
                    channel.notifyWhenStateChanged(state, this::changed);
                }
                return;
            }
            armed = false;
        }
        executor.execute(onReady);
    }
}
