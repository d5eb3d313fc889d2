package io.deskfleet.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real control-plane jar as a child JVM on free ports, with an H2 file database in a directory of its own unless
 * its environment names another database (DATASOURCES_DEFAULT_URL).
 */
final class ControlPlaneProcess implements AutoCloseable {
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "bench-admin-Secret-1";
    /** The production default, set explicitly so that a change of default does not silently change the figures. */
    static final String HEARTBEAT_INTERVAL = "5s";

    private final Process process;
    private final Path log;
    private final String databaseUrl;
    private final int httpPort;
    private final int grpcPort;
    private final Path tlsCertificate;

    private ControlPlaneProcess(Process process, Path log, String databaseUrl, int httpPort, int grpcPort,
                                Path tlsCertificate) {
        this.tlsCertificate = tlsCertificate;
        this.process = process;
        this.log = log;
        this.databaseUrl = databaseUrl;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    static ControlPlaneProcess start(Path jar, Path dir) throws IOException, InterruptedException {
        return start(jar, dir, List.of());
    }

    static ControlPlaneProcess start(Path jar, Path dir, List<String> jvmArgs)
            throws IOException, InterruptedException {
        return start(jar, dir, jvmArgs, Map.of());
    }

    /**
     * @param jvmArgs added before -jar, e.g. a flight recording to find where the control plane spends its time; the
     *                heap is -Xmx1g unless they set their own -Xmx
     * @param env     more environment, e.g. the agent port's TLS files
     */
    static ControlPlaneProcess start(Path jar, Path dir, List<String> jvmArgs, Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: build it first with "
                    + "'mvn -B -q -DskipTests package'");
        }
        int httpPort = freePort();
        int grpcPort = freePort();
        Path log = dir.resolve("control-plane.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
            command.add("-Xmx1g");
        }
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "MICRONAUT_SERVER_PORT", Integer.toString(httpPort),
                "GRPC_SERVER_PORT", Integer.toString(grpcPort),
                "DATASOURCES_DEFAULT_URL", databaseUrl(dir) + ";WRITE_DELAY=0;CACHE_SIZE=65536;QUERY_CACHE_SIZE=64",
                "WKS_ADMIN_USER", ADMIN_USER,
                "WKS_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "DESKFLEET_AGENT_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL));
        builder.environment().putAll(env);
        String certificate = env.get(SelfSignedCertificate.CERT_CHAIN_ENV);
        ControlPlaneProcess controlPlane = new ControlPlaneProcess(builder.start(), log, databaseUrl(dir), httpPort,
                grpcPort, certificate == null ? null : Path.of(certificate));
        try {
            controlPlane.awaitHealthy(Duration.ofSeconds(120));
        } catch (RuntimeException | InterruptedException e) {
            controlPlane.close();
            throw e;
        }
        return controlPlane;
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("control plane exited with " + process.exitValue()
                        + " during start; log: " + log);
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("control plane not healthy within " + timeout + "; log: " + log);
    }

    private static String databaseUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("db/deskfleet").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private static int freePort() throws IOException {
        return Ports.free();
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU seconds (user + system, all threads) the control plane has used so far: unlike wall time, barely changed by
     * other processes competing for the cores.
     */
    double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    /** User + system CPU seconds of a process so far, from /proc/[pid]/stat (fields 14 and 15, in USER_HZ ticks). */
    static double cpuSeconds(long pid) throws IOException {
        return cpuSeconds(pid, false);
    }

    /**
     * As {@link #cpuSeconds(long)}, plus, with {@code exitedChildren}, what the children it has waited for used
     * (fields 16 and 17: a PostgreSQL postmaster's backends that have ended).
     */
    static double cpuSeconds(long pid, boolean exitedChildren) throws IOException {
        String[] fields = statFields(Path.of("/proc", Long.toString(pid), "stat"));
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (exitedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** The fields of a /proc stat file after the command name, which may contain spaces: field 3 comes first. */
    private static String[] statFields(Path stat) throws IOException {
        String text = Files.readString(stat);
        return text.substring(text.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * User + system CPU seconds so far of the JVM's JIT compiler threads ("C1 CompilerThre...", "C2 CompilerThre...":
     * /proc/[pid]/task/[tid]/comm and stat): a control plane still compiling its hot paths spends part of a fan-out's
     * CPU there, which a warmed-up one does not.
     */
    double compilerCpuSeconds() throws IOException {
        double seconds = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    if (Files.readString(thread.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                        String[] fields = statFields(thread.resolve("stat"));
                        seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12]))
                                / (double) CLOCK_TICKS_PER_SECOND;
                    }
                } catch (NoSuchFileException ended) {
                    // a compiler thread that ended between the listing and the read: the JVM retires idle ones
                }
            }
        }
        return seconds;
    }

    /** USER_HZ, 100 on every Linux architecture the JDK runs on. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The certificate the agent port serves over TLS, to trust; null when it serves plaintext. */
    Path tlsCertificate() {
        return tlsCertificate;
    }

    String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    /**
     * The control plane's H2 database (user sa, no password). The embedded database locks its file, so another
     * process can open it only after {@link #close()}.
     */
    String databaseUrl() {
        return databaseUrl;
    }

    Path log() {
        return log;
    }

    /** Ends the JVM with SIGKILL, as a crash or the kernel's OOM killer would: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
