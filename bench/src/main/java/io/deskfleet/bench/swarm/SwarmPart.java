package io.deskfleet.bench.swarm;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * `bench swarm-part`: one part of a fleet larger than one process's descriptors allow (each connection is a
 * descriptor in the process holding it), in a child JVM of the runner. The runner talks to it over stdin and stdout,
 * one line each way per request; every line it reads starts with {@link #PREFIX}, so that nothing else printed on
 * stdout can be taken for an answer.
 *
 * <pre>
 *   part:   ready                         (parsed, nothing connected yet)
 *   runner: go                            part: started | failed MESSAGE   (registered, first handshakes answered)
 *   runner: connected MILLIS              part: connected | timeout MESSAGE
 *   runner: welcomed ADDRESSES            part: welcomed C0 C1 ...
 *   runner: latency MILLIS                part: ok
 *   runner: track on|off                  part: ok; while on, also: arrival DESKTOP INVOCATION NANOS
 * </pre>
 *
 * The end of stdin (the runner closed it, or died) closes the swarm and ends the process. Arrival times are
 * {@link System#nanoTime()}, which on Linux is CLOCK_MONOTONIC in every JVM, so the runner can compare them with its
 * own.
 */
@Command(name = "swarm-part", hidden = true,
        description = "One part of a forked fleet; driven by the runner over stdin and stdout.")
public final class SwarmPart implements Callable<Integer> {
    public static final String PREFIX = "@part ";

    @Option(names = "--target", required = true, split = ",", description = "every replica's gRPC address, host:port")
    List<String> targets;
    @Option(names = "--project-id", required = true)
    String projectId;
    @Option(names = "--pool-id", required = true)
    String poolId;
    @Option(names = "--activation-id", required = true)
    String activationId;
    @Option(names = "--activation-code", required = true)
    String activationCode;
    @Option(names = "--agents", required = true, description = "simulated desktops in this part")
    int agents;
    @Option(names = "--first-connection", required = true,
            description = "index of this part's first connection in the whole fleet (source address and replica)")
    int firstConnection;
    @Option(names = "--fleet-connections", required = true, description = "connections of the whole fleet")
    int fleetConnections;

    private final PrintStream out = System.out;
    private volatile boolean tracking;

    @Override
    public Integer call() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        answer("ready");
        if (!"go".equals(in.readLine())) {
            return 1;
        }
        SwarmConfig config = SwarmConfig.of(projectId, poolId, activationId, activationCode, agents, 0,
                Duration.ZERO);
        SwarmTransport transport = SwarmTransport.plaintext(targets, fleetConnections);
        DesktopSwarm swarm;
        try {
            swarm = DesktopSwarm.start(config, transport.from(firstConnection), this::arrived, System.err);
        } catch (RuntimeException e) {
            answer("failed " + oneLine(e));
            return 1;
        }
        answer("started");
        try (swarm) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                answer(handle(swarm, line.split(" ")));
            }
        }
        return 0;
    }

    private String handle(DesktopSwarm swarm, String[] request) throws InterruptedException {
        switch (request[0]) {
            case "connected" -> {
                try {
                    swarm.awaitConnected(Duration.ofMillis(Long.parseLong(request[1])));
                    return "connected";
                } catch (TimeoutException e) {
                    return "timeout " + oneLine(e);
                }
            }
            case "welcomed" -> {
                return "welcomed " + Arrays.stream(swarm.welcomedByAddress(Integer.parseInt(request[1])))
                        .mapToObj(Integer::toString).collect(Collectors.joining(" "));
            }
            case "latency" -> {
                swarm.commandLatency(Duration.ofMillis(Long.parseLong(request[1])));
                return "ok";
            }
            case "heartbeats" -> {
                return "heartbeats " + swarm.lateHeartbeats() + " " + swarm.longestHeartbeatGap().toMillis() + " "
                        + DesktopSwarm.gcMillis();
            }
            case "track" -> {
                tracking = request[1].equals("on");
                return "ok";
            }
            default -> {
                return "unknown request " + String.join(" ", request);
            }
        }
    }

    private void arrived(CommandArrival arrival) {
        if (tracking) {
            answer("arrival " + arrival.desktopId() + " " + arrival.invocationId() + " " + arrival.arrivedNanos());
        }
    }

    /** From the command loop and gRPC threads (arrivals): one whole line at a time. */
    private synchronized void answer(String line) {
        out.print(PREFIX + line + "\n");
        out.flush();
    }

    private static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).replace('\n', ' ');
    }
}
