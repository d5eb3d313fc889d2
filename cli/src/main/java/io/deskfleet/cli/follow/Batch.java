package io.deskfleet.cli.follow;

/**
 * Progress of one batch of a task, counted in desktops (a desktop is done once all its records are). {@code order}
 * is the records' execute_order: 0 no gray batch, 1 gray, 2 the rest.
 */
public record Batch(int order, int desktops, int succeeded, int failed, int skipped) {

    public String label() {
        return label(order);
    }

    public static String label(int order) {
        return switch (order) {
            case 0 -> "all";
            case 1 -> "gray";
            case 2 -> "rest";
            default -> "order " + order;
        };
    }

    public int done() {
        return succeeded + failed + skipped;
    }
}
