package io.deskfleet.bench.swarm;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/** `bench swarm`: a swarm against a control plane that is already running, until the process is killed. */
@Command(name = "swarm", mixinStandardHelpOptions = true,
        description = "Registers N simulated agents with one activation and keeps their streams open until killed.")
public final class SwarmCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "control plane gRPC address, host:port")
    String server;
    @Option(names = "--project-id", required = true, description = "project the activation belongs to")
    String projectId;
    @Option(names = "--pool-id", required = true, description = "pool the agents register into")
    String poolId;
    @Option(names = "--activation-id", required = true, description = "from POST /v2/{project_id}/agent-activations")
    String activationId;
    @Option(names = "--activation-code", required = true, description = "from POST /v2/{project_id}/agent-activations")
    String activationCode;
    @Option(names = "--agents", required = true, description = "number of simulated agents")
    int agents;
    @Option(names = "--exit-code", defaultValue = "0", description = "exit code every command reports (default 0)")
    int exitCode;
    @Option(names = "--latency-ms", defaultValue = "0", description = "simulated run time of a command (default 0)")
    long latencyMs;
    @Option(names = "--fail-first", defaultValue = "0",
            description = "the first K commands the swarm runs exit 1 (default 0)")
    int failFirst;

    @Override
    public Integer call() throws Exception {
        SwarmConfig config = new SwarmConfig(projectId, poolId, activationId, activationCode, agents, exitCode,
                Duration.ofMillis(latencyMs), failFirst, SwarmConfig.DEFAULT_RECONNECT_BACKOFF, 0, 1);
        DesktopSwarm swarm = DesktopSwarm.start(config, SwarmTransport.plaintext(server, agents), arrival -> { });
        Runtime.getRuntime().addShutdownHook(new Thread(swarm::close));
        try {
            swarm.awaitConnected(Duration.ofMinutes(2));
        } catch (TimeoutException e) {
            System.err.println(e.getMessage() + "; the others keep reconnecting");
        }
        System.out.println(swarm.registered() + " registered, " + swarm.connected() + " connected");
        // Stays up: the agents live on the swarm's daemon threads until the process is killed.
        Thread.currentThread().join();
        return 0;
    }
}
