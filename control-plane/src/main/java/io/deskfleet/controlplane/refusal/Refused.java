package io.deskfleet.controlplane.refusal;

/**
 * Carries a {@link Refusal} up to the edge when returning it would thread it through every caller. Thrown before
 * anything is persisted, so a refused request changes nothing.
 */
public final class Refused extends RuntimeException {
    private final Refusal refusal;

    public Refused(Refusal refusal) {
        // No stack trace: a refusal is an answer, not a fault, and some come at request rate.
        super(refusal.message(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
