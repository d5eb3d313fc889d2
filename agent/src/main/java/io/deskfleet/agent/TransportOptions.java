package io.deskfleet.agent;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** How the agent secures its connection: plaintext by default, TLS, or mutual TLS with a client certificate. */
final class TransportOptions {
    @Option(names = "--tls", description = "Connect with TLS, trusting the system CAs unless --ca-cert is given.")
    boolean tls;

    @Option(names = "--ca-cert", paramLabel = "PEM",
            description = "CA certificate(s) the control plane's certificate must chain to (implies --tls).")
    Path caCert;

    @Option(names = "--client-cert", paramLabel = "PEM",
            description = "Client certificate chain for mutual TLS (implies --tls; needs --client-key).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "PEM", description = "PKCS#8 private key of --client-cert.")
    Path clientKey;

    /** @throws IllegalArgumentException for an incomplete client identity or an unreadable file */
    ChannelCredentials credentials() {
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("--client-cert and --client-key go together");
        }
        if (!tls && caCert == null && clientCert == null) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        try {
            if (caCert != null) {
                builder.trustManager(caCert.toFile());
            }
            if (clientCert != null) {
                builder.keyManager(clientCert.toFile(), clientKey.toFile());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a TLS file: " + e.getMessage(), e);
        }
        return builder.build();
    }
}
