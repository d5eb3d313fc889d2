package io.deskfleet.controlplane.execution;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.Set;
import java.util.function.Consumer;

/** One control plane on its database (no DESKFLEET_REPLICA_ID): it owns every task, nothing is fenced. */
@Singleton
@Requires(missingProperty = "deskfleet.replica.id")
public class SingleNodeOwnership implements TaskOwnership {

    @Override
    public boolean replicated() {
        return false;
    }

    @Override
    public void created(Connection c, String taskId) {
    }

    @Override
    public void runs(String taskId) {
    }

    @Override
    public Set<String> fence(Connection c, Set<String> taskIds) {
        return Set.of();
    }

    @Override
    public void finished(Connection c, String taskId) {
    }

    @Override
    public boolean holds(String taskId) {
        return true;
    }

    @Override
    public boolean takeOver(String taskId) {
        return true;
    }

    @Override
    public void onLost(Consumer<String> taskId) {
    }
}
