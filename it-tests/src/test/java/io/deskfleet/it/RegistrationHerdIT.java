package io.deskfleet.it;

import io.deskfleet.it.harness.AgentProcess;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import io.deskfleet.it.harness.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21: agents started together exited for good when their registration missed its deadline. Here a control
 * plane that lets only one registration run at a time must shed real agents that register at once; every one of
 * them retries after the hint and ends registered and online, none exits.
 */
class RegistrationHerdIT {
    static final String PROJECT = "proj-herd";
    static final int AGENTS = 6;
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;

    @BeforeAll
    static void start() {
        cp = new ControlPlaneProcess(dir)
                .withEnv("DESKFLEET_AGENT_REGISTRATION_MAX_WAIT", "1ms")
                .withEnv("DESKFLEET_AGENT_REGISTRATION_RETRY_AFTER", "300ms")
                .start();
        api = cp.admin(PROJECT);
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void agentsRegisteringAtOnceAreShedRetryAndAllEndRegisteredAndOnline() throws Exception {
        try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pool-herd", AGENTS);
             TcpProxy proxy = new TcpProxy(cp.grpcPort())) {
            // Held in the proxy while the JVMs start, so the Register calls reach the control plane together.
            proxy.pause();
            List<AgentProcess> agents = new ArrayList<>();
            for (int i = 1; i <= AGENTS; i++) {
                agents.add(AgentProcess.start(proxy.address(), dir, PROJECT, fleet.activation(), "herd-" + i));
            }
            Thread.sleep(4_000);
            proxy.resume();

            fleet.agents().addAll(agents);
            assertEquals(AGENTS, Fleet.onlineCount(fleet.awaitOnline(AGENTS)));
            assertEquals(AGENTS, fleet.desktops().get("total_count").asInt(), "one desktop per agent, no extra");
            long shed = agents.stream().filter(a -> a.logText().contains("RESOURCE_EXHAUSTED")).count();
            assertTrue(shed > 0, "a limit of 1 must shed some of " + AGENTS + " registrations arriving together");
            for (AgentProcess agent : agents) {
                assertTrue(agent.isAlive(), agent.name() + " exited:\n" + agent.logText());
            }
        }
    }
}
