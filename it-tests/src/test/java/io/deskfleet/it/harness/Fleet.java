package io.deskfleet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** A pool with its activation and the real agents registered into it. */
public final class Fleet implements AutoCloseable {
    private final ControlPlaneProcess cp;
    private final RestClient api;
    private final Path dir;
    private final String projectId;
    private final String poolId;
    private final AgentProcess.Activation activation;
    private final List<AgentProcess> agents = new ArrayList<>();

    private Fleet(ControlPlaneProcess cp, RestClient api, Path dir, String projectId, String poolId,
                  AgentProcess.Activation activation) {
        this.cp = cp;
        this.api = api;
        this.dir = dir;
        this.projectId = projectId;
        this.poolId = poolId;
        this.activation = activation;
    }

    public static Fleet create(ControlPlaneProcess cp, RestClient api, Path dir, String projectId, String poolName,
                               int registrationLimit) {
        ObjectNode pool = RestClient.JSON.createObjectNode().put("name", poolName).put("type", "DYNAMIC");
        String poolId = api.post("/v2/" + projectId + "/desktop-pools", pool).expect(200).get("id").asText();
        ObjectNode activationBody = RestClient.JSON.createObjectNode()
                .put("pool_id", poolId).put("registration_limit", registrationLimit).put("expires_in_hours", 1);
        JsonNode activation = api.post("/v2/" + projectId + "/agent-activations", activationBody).expect(200);
        return new Fleet(cp, api, dir, projectId, poolId, new AgentProcess.Activation(
                activation.get("activation_id").asText(), activation.get("activation_code").asText(), poolId));
    }

    /** A fleet for a pool and activation made another way (e.g. by the CLI). */
    public static Fleet of(ControlPlaneProcess cp, RestClient api, Path dir, String projectId, String poolId,
                           String activationId, String activationCode) {
        return new Fleet(cp, api, dir, projectId, poolId,
                new AgentProcess.Activation(activationId, activationCode, poolId));
    }

    /** Starts agents named prefix-1..prefix-n and waits until the control plane sees each online. */
    public List<AgentProcess> startAgents(String prefix, int count, String... tags) {
        return startAgents(prefix, count, List.of(), tags);
    }

    /** As above, each agent with extra command-line options (e.g. the TLS ones). */
    public List<AgentProcess> startAgents(String prefix, int count, List<String> agentArgs, String... tags) {
        List<AgentProcess> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            started.add(AgentProcess.start(cp, dir, projectId, activation, prefix + "-" + i, agentArgs, tags));
        }
        agents.addAll(started);
        awaitOnline(agents.size());
        return started;
    }

    /**
     * Starts agents named prefix-1..prefix-n, agent i connecting to {@code serverOf.apply(i)} (a --server value:
     * host:port, or a list where the agent takes one), and waits until each is seen online.
     */
    public List<AgentProcess> startAgentsVia(IntFunction<String> serverOf, String prefix, int count, String... tags) {
        List<AgentProcess> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            started.add(AgentProcess.start(serverOf.apply(i), dir, projectId, activation, prefix + "-" + i, tags));
        }
        agents.addAll(started);
        awaitOnline(agents.size());
        return started;
    }

    /**
     * The same, but each desktop is registered from the test JVM first, so the agents only connect: for many agents
     * on a busy machine, where agent JVMs can miss their own registration deadline.
     */
    public List<AgentProcess> startRegisteredAgents(String prefix, int count) {
        List<AgentProcess> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            started.add(AgentProcess.startRegistered(cp, cp.grpcTarget(), dir, projectId, activation, prefix + "-" + i));
        }
        agents.addAll(started);
        Await.until(agents.size() + " desktops online in pool " + poolId, Duration.ofSeconds(180),
                this::desktops, d -> onlineCount(d) == agents.size());
        return started;
    }

    public AgentProcess restart(AgentProcess agent, String... tags) {
        agents.remove(agent);
        AgentProcess again = AgentProcess.restart(agent, cp, dir, projectId, activation, tags);
        agents.add(again);
        return again;
    }

    public JsonNode awaitOnline(int expected) {
        return Await.until(expected + " desktops online in pool " + poolId, Duration.ofSeconds(60),
                this::desktops, d -> onlineCount(d) == expected);
    }

    public JsonNode desktops() {
        return api.get("/v2/" + projectId + "/desktops/detail?pool_id=" + poolId + "&limit=1000").expect(200);
    }

    public static int onlineCount(JsonNode detail) {
        int online = 0;
        for (JsonNode desktop : detail.get("desktops")) {
            if (desktop.get("agent_online").asBoolean()) {
                online++;
            }
        }
        return online;
    }

    public String poolId() {
        return poolId;
    }

    public String projectId() {
        return projectId;
    }

    public AgentProcess.Activation activation() {
        return activation;
    }

    public List<AgentProcess> agents() {
        return agents;
    }

    @Override
    public void close() {
        agents.forEach(AgentProcess::close);
    }
}
