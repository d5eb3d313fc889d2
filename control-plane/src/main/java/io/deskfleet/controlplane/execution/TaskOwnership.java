package io.deskfleet.controlplane.execution;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which running tasks this control plane may write. A single node owns every task of its database. Replicas
 * (cluster.LeasedOwnership) hold each running task under a lease with an epoch: the engine writes only tasks it
 * holds, and every batch of writes checks the epochs in its own transaction, so a former owner that was paused or
 * cut off past its lease writes nothing more.
 */
public interface TaskOwnership {

    /**
     * Whether other replicas share the database: then the engine runs only the tasks it is handed (created,
     * approved or taken over here); a single node resumes every unfinished task at startup.
     */
    boolean replicated();

    /** In the transaction that stores a new task: the task is this control plane's. */
    void created(Connection c, String taskId) throws SQLException;

    /** The task {@link #created} stored is committed: it runs here. */
    void runs(String taskId);

    /**
     * In the transaction of a batch of writes: which of these tasks this control plane may no longer write. The
     * others' leases are locked until the commit, so nobody takes them over in between.
     */
    Set<String> fence(Connection c, Set<String> taskIds) throws SQLException;

    /** In the transaction that stores a task's end: its lease goes. */
    void finished(Connection c, String taskId) throws SQLException;

    /** Whether this control plane still holds the task (false once a write was fenced or the lease moved). */
    boolean holds(String taskId);

    /**
     * Takes the task for this control plane now (a task approved here, or stopped here while another replica runs
     * it): true when it is this control plane's from now on.
     */
    boolean takeOver(String taskId);

    /** Tells the engine about tasks it must stop running, whoever noticed first. */
    void onLost(Consumer<String> taskId);
}
