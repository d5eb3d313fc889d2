package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import io.deskfleet.it.harness.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent port over TLS and mutual TLS, with certificates made at test time: agents that present what the
 * control plane asks for register and run commands; the others are refused at the handshake, never appear as
 * desktops, and keep retrying with a log line that names the TLS failure.
 */
class TlsIT {
    static final String PROJECT = "proj-tls";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Path caCert;
    static TestCertificates.Identity server;
    static TestCertificates.Identity goodClient;
    static TestCertificates.Identity foreignClient;

    @BeforeAll
    static void certificates() {
        TestCertificates certs = TestCertificates.in(dir.resolve("pki"));
        caCert = certs.ca("fleet-ca");
        server = certs.server("control-plane", "fleet-ca");
        goodClient = certs.client("desk-good", "fleet-ca");
        certs.ca("other-ca");
        foreignClient = certs.client("desk-foreign", "other-ca");
    }

    @Test
    void agentsRunCommandsOverTlsAndAPlaintextAgentCannotConnect() {
        Path cpDir = dir.resolve("tls");
        try (ControlPlaneProcess cp = tlsControlPlane(cpDir, false)) {
            RestClient api = cp.admin(PROJECT);
            try (Fleet fleet = Fleet.create(cp, api, cpDir, PROJECT, "pool-tls", 3)) {
                fleet.startAgents("tls", 2, List.of("--ca-cert", caCert.toString()));
                assertCommandRuns(api, fleet, 2);

                try (AgentProcess plain = AgentProcess.start(cp, cpDir, PROJECT, fleet.activation(), "plain")) {
                    awaitRetries(plain);
                    assertEquals(2, fleet.desktops().get("total_count").asInt(), "the plaintext agent is no desktop");
                }
            }
        }
    }

    @Test
    void mutualTlsAdmitsOnlyClientCertificatesOfTheConfiguredCa() {
        Path cpDir = dir.resolve("mtls");
        try (ControlPlaneProcess cp = tlsControlPlane(cpDir, true)) {
            RestClient api = cp.admin(PROJECT);
            try (Fleet fleet = Fleet.create(cp, api, cpDir, PROJECT, "pool-mtls", 5)) {
                fleet.startAgents("mtls", 1, List.of("--ca-cert", caCert.toString(),
                        "--client-cert", goodClient.certChain().toString(),
                        "--client-key", goodClient.privateKey().toString()));
                assertCommandRuns(api, fleet, 1);

                try (AgentProcess noCert = AgentProcess.start(cp, cpDir, PROJECT, fleet.activation(), "no-cert",
                        List.of("--ca-cert", caCert.toString()));
                     AgentProcess foreign = AgentProcess.start(cp, cpDir, PROJECT, fleet.activation(), "foreign",
                             List.of("--ca-cert", caCert.toString(),
                                     "--client-cert", foreignClient.certChain().toString(),
                                     "--client-key", foreignClient.privateKey().toString()))) {
                    awaitRetries(noCert);
                    awaitRetries(foreign);
                    assertTrue(noCert.logText().contains("TLS handshake with the control plane failed"),
                            noCert.logText());
                    assertTrue(foreign.logText().contains("TLS handshake with the control plane failed"),
                            foreign.logText());
                    JsonNode desktops = fleet.desktops();
                    assertEquals(1, desktops.get("total_count").asInt(), desktops.toString());
                    assertEquals("mtls-1", desktops.get("desktops").get(0).get("computer_name").asText());
                }
            }
        }
    }

    private static ControlPlaneProcess tlsControlPlane(Path cpDir, boolean mutual) {
        ControlPlaneProcess cp = new ControlPlaneProcess(cpDir)
                .withEnv("DESKFLEET_AGENTLINK_TLS_CERT_CHAIN", server.certChain().toString())
                .withEnv("DESKFLEET_AGENTLINK_TLS_PRIVATE_KEY", server.privateKey().toString());
        if (mutual) {
            cp.withEnv("DESKFLEET_AGENTLINK_TLS_CLIENT_CA", caCert.toString());
        }
        return cp.start();
    }

    private static void assertCommandRuns(RestClient api, Fleet fleet, int desktops) {
        Executions executions = new Executions(api, PROJECT);
        String taskId = executions.onPool(fleet.poolId(), Executions.command("echo secure-$((20+1))"));
        JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        List<JsonNode> records = executions.records(taskId);
        assertEquals(desktops, records.size());
        for (JsonNode record : records) {
            assertEquals("secure-21", record.get("output").asText().strip(), record.toString());
        }
    }

    /** A refused agent stays up and retries with backoff, saying why each time. */
    private static void awaitRetries(AgentProcess agent) {
        Await.until(agent.name() + " to retry registration twice", PATIENCE, agent::logText,
                log -> log.split("registration did not go through", -1).length > 2);
        assertTrue(agent.isAlive(), agent.logText());
    }
}
