package io.deskfleet.controlplane.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The cluster's timers: one named daemon thread each, so a replica's shutdown never waits on a sweep. */
final class ClusterThreads {
    private ClusterThreads() {
    }

    static ScheduledExecutorService timer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
