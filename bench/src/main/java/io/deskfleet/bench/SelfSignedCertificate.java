package io.deskfleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A certificate and key (PEM) for the agent port of a TLS control plane, made for one run with the openssl command
 * line: nothing secret outlives the run, and no certificate library is needed for one call.
 */
record SelfSignedCertificate(Path certificate, Path privateKey) {
    static final String CERT_CHAIN_ENV = "DESKFLEET_AGENTLINK_TLS_CERT_CHAIN";
    static final String PRIVATE_KEY_ENV = "DESKFLEET_AGENTLINK_TLS_PRIVATE_KEY";
    /** ECDSA P-256, as a fleet's control plane would use: its handshakes cost a fraction of RSA-2048's. */
    static final String DESCRIPTION = "a self-signed ECDSA P-256 certificate for 127.0.0.1 made by openssl";

    static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
        Path certificate = dir.resolve("agent-link.crt");
        Path privateKey = dir.resolve("agent-link.key");
        Path log = dir.resolve("openssl.log");
        Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", privateKey.toString(), "-out", certificate.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make the TLS certificate: " + Files.readString(log));
        }
        return new SelfSignedCertificate(certificate, privateKey);
    }

    /** The control plane's settings for it. */
    Map<String, String> environment() {
        return Map.of(CERT_CHAIN_ENV, certificate.toString(), PRIVATE_KEY_ENV, privateKey.toString());
    }
}
