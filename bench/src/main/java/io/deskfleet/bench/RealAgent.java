package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One real agent process started the way users run it: the launcher script agent/deskfleet-agent (its JVM flags and
 * class data sharing archive) with this machine's JDK. Its log goes to a file next to its state dir.
 */
final class RealAgent implements AutoCloseable {
    /** What the agent logs once its stream is welcomed: registered and connected. */
    static final String CONNECTED = "connected as ";

    private final Process process;
    private final Path log;
    private final long startedNanos;

    private RealAgent(Process process, Path log, long startedNanos) {
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static RealAgent start(Path launcher, String grpcTarget, String projectId, String poolId, Activation activation,
                           String name, Path dir) throws IOException {
        Path stateDir = dir.resolve(name);
        Path log = dir.resolve(name + ".log");
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toAbsolutePath().toString(),
                "--server", grpcTarget, "--project-id", projectId, "--pool-id", poolId,
                "--activation-id", activation.id(), "--activation-code", activation.code(),
                "--name", name, "--state-dir", stateDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long started = System.nanoTime();
        return new RealAgent(builder.start(), log, started);
    }

    /**
     * Runs the launcher once with --version, so that its first-start work (making the class data sharing archive)
     * is done before anything is timed.
     */
    static void prime(Path launcher) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launcher.toAbsolutePath().toString(), "--version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(launcher + " --version failed");
        }
    }

    /** Seconds from the process start to its "connected as" log line, polled every 5 ms. */
    double awaitConnected(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = startedNanos + timeout.toNanos();
        while (true) {
            if (Files.exists(log) && Files.readString(log).contains(CONNECTED)) {
                return (System.nanoTime() - startedNanos) / 1e9;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("agent exited with " + process.exitValue() + "; log " + log + ":\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("agent not connected within " + timeout + "; log: " + log);
            }
            Thread.sleep(5);
        }
    }

    /** CPU seconds the agent's JVM has used so far (after the launcher's exec, the process is the JVM). */
    double cpuSeconds() throws IOException {
        return ControlPlaneProcess.cpuSeconds(process.pid());
    }

    long rssBytes() throws IOException {
        return MemoryProbe.rssKb(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status"))) * 1024;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
