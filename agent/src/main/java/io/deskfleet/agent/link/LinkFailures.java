package io.deskfleet.agent.link;

import io.grpc.Status;

import javax.net.ssl.SSLException;

/** Operator-facing text for why a call to the control plane failed, naming TLS problems as such. */
public final class LinkFailures {
    private LinkFailures() {
    }

    /**
     * The status code and description, and when the cause is a TLS failure (untrusted server certificate, client
     * certificate missing or refused under mutual TLS, plaintext against a TLS port) a hint at the options involved.
     */
    public static String describe(Status status) {
        StringBuilder text = new StringBuilder(status.getCode().toString());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        }
        SSLException tls = tlsCause(status.getCause());
        if (tls != null) {
            text.append(" (TLS handshake with the control plane failed: ").append(tls.getMessage())
                    .append("; check --tls, --ca-cert, --client-cert and --client-key)");
        }
        return text.toString();
    }

    private static SSLException tlsCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }
}
