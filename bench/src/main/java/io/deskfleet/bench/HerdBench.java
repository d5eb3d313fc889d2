package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;
import io.deskfleet.bench.swarm.DesktopSwarm;
import io.deskfleet.bench.swarm.SwarmConfig;
import io.deskfleet.bench.swarm.SwarmTransport;
import io.grpc.Status;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A registration herd: N simulated agents register and connect all at once, with no client-side limit, as a fleet
 * of desktops powered on together would; each retries as the real agent does (io.deskfleet.link). Measures the time
 * until every one holds a welcomed stream and counts those that gave up (must be 0).
 */
@Command(name = "herd", mixinStandardHelpOptions = true,
        description = "Registers N simulated agents at once (no client-side throttle) against a fresh control plane.")
public final class HerdBench implements Callable<Integer> {
    static final String PROJECT_ID = "herd-project";

    @Spec
    CommandSpec spec;
    @Option(names = "--agents", defaultValue = "10000", description = "simulated agents (1-10,000; default 10,000)")
    int agents;
    @Option(names = "--control-plane-jar", defaultValue = "control-plane/target/control-plane.jar",
            description = "the control plane to measure (default: the one the build leaves)")
    Path controlPlaneJar;
    @Option(names = "--results", defaultValue = "bench/RESULTS.md",
            description = "file whose top the section goes to (default bench/RESULTS.md)")
    Path results;
    @Option(names = "--profile", paramLabel = "FILE.jfr",
            description = "record the control plane with Java Flight Recorder (profile settings) into this file")
    Path profile;
    @Option(names = "--control-plane-jvm-option", paramLabel = "OPTION",
            description = "an extra option for the control plane's JVM (repeatable)")
    List<String> controlPlaneJvmOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (agents < 1 || agents > BenchRunner.MAX_PER_ACTIVATION) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--agents must be 1-" + BenchRunner.MAX_PER_ACTIVATION + ", got " + agents);
        }
        Report report = new Report();
        report.note(Report.machine());
        report.note("control plane: its jar in a child JVM with -Xmx1g, H2 file database, heartbeat "
                + ControlPlaneProcess.HEARTBEAT_INTERVAL + ", default registration settings of the jar measured");
        report.note("herd: " + agents + " simulated agents in the runner's JVM, each on its own connection, no "
                + "client-side limit: every Register call is issued at once, then every stream; each agent retries Register "
                + "as the real agent does (10 s deadline per attempt, backoff 0.5 s doubling to 30 s with jitter, "
                + "the server's hint as a floor, only a deskfleet-refusal trailer is final)");
        report.note("time: from before the first Register to every agent holding a welcomed stream, then checked "
                + "through the API (every desktop of the pool agent_online)");
        Path dir = Files.createTempDirectory("deskfleet-herd-");
        BenchRunner.log("working directory (control-plane log and database): " + dir);
        List<String> jvmOptions = new ArrayList<>(controlPlaneJvmOptions);
        if (profile != null) {
            jvmOptions.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + profile.toAbsolutePath());
        }
        try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(controlPlaneJar, dir, jvmOptions)) {
            ControlPlaneApi api = new ControlPlaneApi(controlPlane.baseUrl(), PROJECT_ID);
            api.login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD);
            String poolId = api.createPool("herd");
            Activation activation = api.createActivation(poolId, agents);
            SwarmConfig config = SwarmConfig.of(PROJECT_ID, poolId, activation.id(), activation.code(), agents, 0,
                    Duration.ZERO);
            long start = System.nanoTime();
            try (DesktopSwarm swarm = DesktopSwarm.start(config,
                    SwarmTransport.plaintext(controlPlane.grpcTarget(), agents),
                    arrival -> { })) {
                double registered = seconds(start);
                swarm.awaitConnected(Duration.ofMinutes(10));
                double connected = seconds(start);
                awaitOnline(api, poolId);
                report.add("herd of " + agents + ": all registered and their first Hello answered, s",
                        String.format(Locale.ROOT, "%.1f", registered));
                report.add("herd of " + agents + ": all connected (welcomed stream), s",
                        String.format(Locale.ROOT, "%.1f", connected));
                report.add("agents that gave up", Integer.toString(swarm.gaveUp()));
                report.add("Register calls (retries included) / answered RESOURCE_EXHAUSTED", swarm.registerCalls()
                        + " / " + swarm.registerShed());
                report.add("Register calls failed otherwise (retried), by status", otherFailures(swarm));
            }
        }
        String section = report.markdown(ZonedDateTime.now());
        System.out.println(section);
        Report.insertAtTop(results, section);
        BenchRunner.log("added at the top of " + results.toAbsolutePath());
        return 0;
    }

    private void awaitOnline(ControlPlaneApi api, String poolId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int online;
        while ((online = api.onlineCount(poolId)) < agents) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("only " + online + " of " + agents + " desktops online");
            }
            Thread.sleep(500);
        }
    }

    private static String otherFailures(DesktopSwarm swarm) {
        String failures = Arrays.stream(Status.Code.values())
                .filter(code -> code != Status.Code.RESOURCE_EXHAUSTED && swarm.registerFailures(code) > 0)
                .map(code -> code + " " + swarm.registerFailures(code))
                .collect(Collectors.joining(", "));
        return failures.isEmpty() ? "none" : failures;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
