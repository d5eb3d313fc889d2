package io.deskfleet.controlplane.startup;

import java.net.BindException;

/** A port the control plane must listen on is taken by another process; the message says which and how to move it. */
public final class PortInUseException extends RuntimeException {

    public PortInUseException(String server, int port, String variable, Throwable cause) {
        super(message(server, String.valueOf(port), variable), cause);
    }

    /** Whether binding failed because the address is taken (netty's native transport throws no BindException). */
    public static boolean isAddressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    static String message(String server, String port, String variable) {
        return "Cannot start: the " + server + " port " + port + " is already in use by another process."
                + " Stop that process, or set " + variable + " to a free port.";
    }
}
