package io.deskfleet.agent.link;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertificateException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkFailuresTest {

    @Test
    void aTlsFailureNamesItsInnermostCauseOnOneLine() {
        SSLHandshakeException handshake = new SSLHandshakeException("General OpenSslEngine problem");
        handshake.initCause(new CertificateException("PKIX path building failed"));
        String text = LinkFailures.describe(Status.UNAVAILABLE
                .withDescription("io exception\nChannel Pipeline: [SslHandler#0]").withCause(handshake));
        assertTrue(text.startsWith("UNAVAILABLE: io exception (TLS handshake with the control plane failed: "
                + "java.security.cert.CertificateException: PKIX path building failed; check --tls"), text);
        assertTrue(text.lines().count() == 1, text);
    }

    @Test
    void otherFailuresAreCodeAndDescription() {
        assertEquals("UNAVAILABLE: Network closed for unknown reason",
                LinkFailures.describe(Status.UNAVAILABLE.withDescription("Network closed for unknown reason")));
        assertEquals("UNAUTHENTICATED", LinkFailures.describe(Status.UNAUTHENTICATED));
    }
}
