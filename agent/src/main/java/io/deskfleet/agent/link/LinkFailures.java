package io.deskfleet.agent.link;

import io.grpc.Status;

import javax.net.ssl.SSLException;

/** Operator-facing text for why a call to the control plane failed, naming TLS problems as such. */
public final class LinkFailures {
    private LinkFailures() {
    }

    /**
     * The status code and description, and when the cause is a TLS failure (untrusted server certificate, client
     * certificate missing or refused under mutual TLS) a hint at the options involved.
     */
    public static String describe(Status status) {
        StringBuilder text = new StringBuilder(status.getCode().toString());
        if (status.getDescription() != null) {
            // netty appends the channel pipeline on further lines; one line per event is enough.
            text.append(": ").append(status.getDescription().lines().findFirst().orElse(""));
        }
        Throwable tls = tlsCause(status.getCause());
        if (tls != null) {
            text.append(" (TLS handshake with the control plane failed: ").append(tls)
                    .append("; check --tls, --ca-cert, --client-cert and --client-key)");
        }
        return text.toString();
    }

    /**
     * The innermost cause below the first SSLException: the SSL engine's own message is often generic, while the
     * cause says what failed, e.g. that the server's certificate chains to no trusted CA.
     */
    private static Throwable tlsCause(Throwable error) {
        Throwable found = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (found == null && t instanceof SSLException) {
                found = t;
            } else if (found != null && t.getMessage() != null) {
                found = t;
            }
        }
        return found;
    }
}
