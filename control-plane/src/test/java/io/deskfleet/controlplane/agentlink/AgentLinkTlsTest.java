package io.deskfleet.controlplane.agentlink;

import io.grpc.InsecureServerCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Incomplete or unreadable TLS settings stop the start with a message naming the setting or file. */
class AgentLinkTlsTest {
    @TempDir
    Path dir;

    @Test
    void noSettingsIsPlaintext() {
        AgentLinkTls tls = new AgentLinkTls("", "", "");
        assertEquals("plaintext", tls.mode());
        assertInstanceOf(InsecureServerCredentials.class, tls.credentials());
    }

    @Test
    void aKeyOrClientCaWithoutACertificateChainIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AgentLinkTls("", "", "/etc/ca.pem").credentials());
        assertTrue(e.getMessage().contains("cert-chain"), e.getMessage());
    }

    @Test
    void aCertificateChainWithoutAKeyIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AgentLinkTls("/etc/chain.pem", "", "").credentials());
        assertTrue(e.getMessage().contains(".private-key"), e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamed() {
        String missing = dir.resolve("missing.pem").toString();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AgentLinkTls(missing, missing, "").credentials());
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertEquals("mtls", new AgentLinkTls(missing, missing, missing).mode());
    }
}
