package io.deskfleet.controlplane.agentlink;

import io.deskfleet.agent.v1.Hello;
import io.deskfleet.controlplane.inventory.DesktopStore;
import io.micronaut.context.annotation.Requires;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import jakarta.inject.Singleton;

/** One control plane: the sessions map is the whole registry; there are no epochs to keep. */
@Singleton
@Requires(missingProperty = "deskfleet.replica.id")
public class LocalStreams implements StreamRegistry {
    private final DesktopStore desktops;

    public LocalStreams(DesktopStore desktops) {
        this.desktops = desktops;
    }

    /** No stream survives a restart: every desktop starts offline. */
    @Override
    public int reset() {
        return desktops.markAllOffline();
    }

    @Override
    public CompletableFuture<Long> opened(String desktopId, Hello hello, BooleanSupplier gone) {
        return OPENED;
    }

    private static final CompletableFuture<Long> OPENED = CompletableFuture.completedFuture(0L);

    @Override
    public boolean closed(String desktopId, long epoch) {
        return true;
    }
}
