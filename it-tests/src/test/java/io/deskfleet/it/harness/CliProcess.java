package io.deskfleet.it.harness;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real CLI jar run as a user runs it: one process per command, its credentials in its own file. */
public final class CliProcess {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final Path dir;
    private final Map<String, String> env = new HashMap<>();
    private int runs;

    /** Keeps the credentials file and each run's output in {@code dir}. */
    public CliProcess(Path dir) {
        this.dir = dir;
        env.put("DESKFLEET_CONFIG", credentials().toString());
    }

    /** An endpoint nothing listens on. */
    public static String unreachableEndpoint() {
        return "http://127.0.0.1:" + Ports.free();
    }

    public Path credentials() {
        return dir.resolve("config").resolve("credentials");
    }

    public CliProcess withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaBin(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-jar", ManagedProcess.requireJar("deskfleet.cliJar").toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(dir);
            runs++;
            Path out = dir.resolve("cli-" + runs + ".out");
            Path err = dir.resolve("cli-" + runs + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("deskfleet " + String.join(" ", args) + " did not end within " + PATIENCE
                        + "; stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(String.join(" ", args), process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public record Result(String args, int exitCode, String stdout, String stderr) {

        /** stdout, after checking the exit code; the message shows everything the CLI said otherwise. */
        public String expect(int expectedExitCode) {
            if (exitCode != expectedExitCode) {
                throw new AssertionError("expected exit code " + expectedExitCode + " from " + this);
            }
            return stdout;
        }

        public JsonNode json() {
            try {
                return RestClient.JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "deskfleet " + args + " -> exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
