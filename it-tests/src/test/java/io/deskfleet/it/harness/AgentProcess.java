package io.deskfleet.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One real agent JVM: one simulated desktop. */
public final class AgentProcess implements AutoCloseable {
    private static boolean primed;
    private final ManagedProcess process;
    private final Path stateDir;
    private final String name;
    private final String server;

    private AgentProcess(String name, String server, List<String> args, Path stateDir, Path workDir) {
        this.name = name;
        this.server = server;
        this.stateDir = stateDir;
        // Through the launcher users run (agent/deskfleet-agent: its JVM flags and class data sharing archive),
        // with this build's jar and the JVM running the tests.
        Path jar = ManagedProcess.requireJar("deskfleet.agentJar");
        List<String> command = new ArrayList<>(List.of(launcher(jar).toString()));
        command.addAll(args);
        command.addAll(List.of("--state-dir", stateDir.toString()));
        this.process = new ManagedProcess(command, Map.of("DESKFLEET_AGENT_JAR", jar.toString(),
                "JAVA_HOME", System.getProperty("java.home")), workDir, workDir.resolve("agent-" + name + ".log"));
    }

    /**
     * agent/deskfleet-agent of the module whose target/ holds the jar, run once with --version first: its one-time
     * training run (the class data sharing archive) then happens before any test's agents start, not in each of the
     * agents a test starts together.
     */
    static synchronized Path launcher(Path jar) {
        Path script = jar.getParent().getParent().resolve("deskfleet-agent");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is missing or not executable");
        }
        if (!primed) {
            try {
                ProcessBuilder builder = new ProcessBuilder(script.toString(), "--version")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                builder.environment().put("DESKFLEET_AGENT_JAR", jar.toString());
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                Process process = builder.start();
                if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException(script + " --version failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            primed = true;
        }
        return script;
    }

    /** An agent that registers with the activation on first start (and re-attaches on later starts). */
    public static AgentProcess start(ControlPlaneProcess cp, Path dir, String projectId, Activation activation,
                                     String name, String... tags) {
        return start(cp.grpcTarget(), dir, projectId, activation, name, List.of(), tags);
    }

    /** As above, with extra command-line options (e.g. the TLS ones). */
    public static AgentProcess start(ControlPlaneProcess cp, Path dir, String projectId, Activation activation,
                                     String name, List<String> extraArgs, String... tags) {
        return start(cp.grpcTarget(), dir, projectId, activation, name, extraArgs, tags);
    }

    /** The same through another address (host:port) in front of the control plane, e.g. a {@link TcpProxy}. */
    public static AgentProcess start(String server, Path dir, String projectId, Activation activation,
                                     String name, String... tags) {
        return start(server, dir, projectId, activation, name, List.of(), tags);
    }

    private static AgentProcess start(String server, Path dir, String projectId, Activation activation,
                                      String name, List<String> extraArgs, String... tags) {
        List<String> args = new ArrayList<>(extraArgs);
        args.addAll(List.of(
                "--server", server,
                "--project-id", projectId,
                "--activation-id", activation.id(),
                "--activation-code", activation.code(),
                "--pool-id", activation.poolId(),
                "--name", name));
        for (String tag : tags) {
            args.add("--tag");
            args.add(tag);
        }
        AgentProcess agent = new AgentProcess(name, server, args, dir.resolve("agents").resolve(name), dir);
        agent.process.start();
        return agent;
    }

    /** An agent on a desktop registered beforehand from the test JVM (see {@link Registration}): it only connects. */
    public static AgentProcess startRegistered(ControlPlaneProcess cp, String server, Path dir, String projectId,
                                               Activation activation, String name) {
        Registration.register(cp, projectId, activation, name, dir.resolve("agents").resolve(name));
        return start(server, dir, projectId, activation, name);
    }

    /** Same command line and state dir, new process: what a desktop reboot or an agent restart does. */
    public static AgentProcess restart(AgentProcess previous, ControlPlaneProcess cp, Path dir, String projectId,
                                       Activation activation, String... tags) {
        previous.close();
        return start(previous.server, dir, projectId, activation, previous.name, tags);
    }

    public String name() {
        return name;
    }

    public Path stateDir() {
        return stateDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public void kill() {
        process.kill();
    }

    /** SIGTERM, then wait for the exit; returns the exit code. */
    public int terminate() {
        return process.terminate(Duration.ofSeconds(30));
    }

    public Integer waitForExit(Duration timeout) {
        return process.waitFor(timeout);
    }

    public String logText() {
        return process.logText();
    }

    @Override
    public void close() {
        process.close();
    }

    public record Activation(String id, String code, String poolId) {
    }
}
