package io.deskfleet.controlplane.execution;

/** Told by {@link RecordWriter} after each batch of execution changes is committed, on the writer's thread. */
public interface ExecutionChangeListener {

    /** Must return quickly and not throw: the next batch waits for it. */
    void committed(ExecutionChanges changes);
}
