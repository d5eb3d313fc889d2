package io.deskfleet.controlplane.agentlink;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.File;
import java.io.IOException;

/**
 * Transport security of the agent port, from PEM files: plaintext when no certificate chain is set (local use),
 * TLS with {@code deskfleet.agentlink.tls.cert-chain} and {@code .private-key}, and mutual TLS when
 * {@code .client-ca} is set too: then only agents with a client certificate issued by that CA get past the handshake.
 * Credentials in gRPC's transport-neutral form, so nothing here depends on netty.
 */
@Singleton
public class AgentLinkTls {
    private final String certChain;
    private final String privateKey;
    private final String clientCa;

    public AgentLinkTls(@Value("${deskfleet.agentlink.tls.cert-chain:}") String certChain,
                        @Value("${deskfleet.agentlink.tls.private-key:}") String privateKey,
                        @Value("${deskfleet.agentlink.tls.client-ca:}") String clientCa) {
        this.certChain = certChain.trim();
        this.privateKey = privateKey.trim();
        this.clientCa = clientCa.trim();
    }

    /** A short description for the start-up log line: plaintext, tls or mtls. */
    public String mode() {
        if (certChain.isEmpty()) {
            return "plaintext";
        }
        return clientCa.isEmpty() ? "tls" : "mtls";
    }

    /** @throws IllegalStateException when the settings are incomplete or a file cannot be read */
    public ServerCredentials credentials() {
        if (certChain.isEmpty()) {
            if (!privateKey.isEmpty() || !clientCa.isEmpty()) {
                throw new IllegalStateException("deskfleet.agentlink.tls.private-key and .client-ca need "
                        + "deskfleet.agentlink.tls.cert-chain as well");
            }
            return InsecureServerCredentials.create();
        }
        if (privateKey.isEmpty()) {
            throw new IllegalStateException("deskfleet.agentlink.tls.cert-chain is set but .private-key is not");
        }
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                    .keyManager(readable(certChain), readable(privateKey));
            if (!clientCa.isEmpty()) {
                tls.trustManager(readable(clientCa)).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return tls.build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent link TLS files: " + e.getMessage(), e);
        }
    }

    private static File readable(String path) throws IOException {
        File file = new File(path);
        if (!file.canRead()) {
            throw new IOException("cannot read " + file.getAbsolutePath());
        }
        return file;
    }
}
