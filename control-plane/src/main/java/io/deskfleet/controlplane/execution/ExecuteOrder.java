package io.deskfleet.controlplane.execution;

/** The contract's execute_order of a record: which part of the rollout a desktop belongs to. */
public enum ExecuteOrder {
    /** The task has no gray batch. */
    DEFAULT(0),
    GRAY(1),
    NON_GRAY(2);

    private final int code;

    ExecuteOrder(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ExecuteOrder of(int code) {
        for (ExecuteOrder order : values()) {
            if (order.code == code) {
                return order;
            }
        }
        throw new IllegalArgumentException("no execute_order " + code);
    }
}
