package io.deskfleet.controlplane.startup;

/** A setting the control plane cannot start with; the message says what to change, and is printed as one line. */
public final class StartRefused extends RuntimeException {

    public StartRefused(String message) {
        super(message);
    }
}
