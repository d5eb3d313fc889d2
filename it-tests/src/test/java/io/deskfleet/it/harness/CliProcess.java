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
        return start(List.of(), args).await();
    }

    /**
     * Starts a command and returns at once, for a test that interrupts it. It runs under
     * {@code env --default-signal=INT}: a process started from a non-interactive shell's background job inherits
     * SIGINT ignored, and the JVM then never sees Ctrl-C; a user's terminal gives it the default.
     */
    public Running startInterruptible(String... args) {
        return start(List.of("env", "--default-signal=INT"), args);
    }

    /**
     * Starts a command on a pseudo-terminal, as a user's shell runs it: script(1) gives it one, so the CLI sees a
     * console, and what {@link Running#type} writes is typed on it (Ctrl-C included). stdout and stderr both arrive
     * in stdout, with the terminal's escape codes and line ends.
     * <p>
     * script(1) runs the line with {@code $SHELL -c}, or {@code /bin/sh -c} without SHELL (Debian: dash). dash does
     * not exec a -c line's last command: it stays in the terminal's foreground process group, gets the typed Ctrl-C
     * too, and once the CLI has exited, whatever its code, kills itself with SIGINT, so script -e reports 130.
     * {@code exec} leaves the CLI alone in that group with every shell, as a user's interactive shell does (job
     * control gives each command its own foreground group).
     */
    public Running startOnTerminal(String... args) {
        StringBuilder line = new StringBuilder("exec env --default-signal=INT");
        for (String word : javaCommand(args)) {
            line.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        return start(List.of("script", "-qefc", line.toString(), "/dev/null"), true, args);
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaBin(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-jar", ManagedProcess.requireJar("deskfleet.cliJar").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private Running start(List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(javaCommand(args));
        return start(command, false, args);
    }

    private Running start(List<String> command, boolean typed, String... args) {
        try {
            Files.createDirectories(dir);
            runs++;
            Path out = dir.resolve("cli-" + runs + ".out");
            Path err = dir.resolve("cli-" + runs + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(typed ? ProcessBuilder.Redirect.PIPE
                            : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            return new Running(String.join(" ", args), builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command still running: what it printed so far, a signal, and its end. */
    public record Running(String args, Process process, Path out, Path err) {

        public String stdoutSoFar() {
            try {
                return Files.readString(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Text typed on the terminal of {@link #startOnTerminal}. */
        public void type(String text) {
            try {
                process.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                process.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Ctrl-C, as a terminal sends it. */
        public void interrupt() {
            try {
                int code = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
                if (code != 0) {
                    throw new AssertionError("kill -INT " + process.pid() + " failed: " + code);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        public Result await() {
            try {
                if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("deskfleet " + args + " did not end within " + PATIENCE
                            + "; stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
                }
                return new Result(args, process.exitValue(), Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
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
