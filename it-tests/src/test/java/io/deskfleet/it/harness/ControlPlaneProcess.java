package io.deskfleet.it.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real control-plane jar in its own JVM, on free ports, with an H2 file database in its own directory. A
 * restart keeps the ports and the database, as an operator's restart would.
 */
public final class ControlPlaneProcess implements AutoCloseable {
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-Secret-1";

    private final Path dir;
    private final int httpPort = Ports.free();
    private final int grpcPort = Ports.free();
    private final Map<String, String> env = new HashMap<>();
    private List<String> jvmOptions = List.of("-Xmx512m");
    private ManagedProcess process;
    private int starts;

    public ControlPlaneProcess(Path dir) {
        this.dir = dir;
        env.put("MICRONAUT_SERVER_PORT", Integer.toString(httpPort));
        env.put("GRPC_SERVER_PORT", Integer.toString(grpcPort));
        env.put("DATASOURCES_DEFAULT_URL", "jdbc:h2:file:" + dir.resolve("db/deskfleet").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        env.put("WKS_ADMIN_USER", ADMIN_USER);
        env.put("WKS_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // Fast heartbeats so online/offline changes are visible within a test's patience.
        env.put("DESKFLEET_AGENT_HEARTBEAT_INTERVAL", "1s");
        env.put("DESKFLEET_AGENT_OFFLINE_AFTER", "3s");
    }

    /** Extra environment for the next start (e.g. a shorter delivery window). */
    public ControlPlaneProcess withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** JVM options for the next start, instead of the default {@code -Xmx512m} (e.g. a small heap per replica). */
    public ControlPlaneProcess withJvmOptions(String... options) {
        jvmOptions = List.of(options);
        return this;
    }

    public ControlPlaneProcess start() {
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaBin()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", ManagedProcess.requireJar("deskfleet.controlPlaneJar").toString()));
        starts++;
        process = new ManagedProcess(command, env, dir, dir.resolve("control-plane-" + starts + ".log"));
        process.start();
        awaitHealthy(Duration.ofSeconds(90));
        return this;
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("control plane exited during start; log:\n" + process.logText());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(200);
        }
        throw new AssertionError("control plane not healthy within " + timeout + "; log:\n" + process.logText());
    }

    public void kill() {
        process.kill();
    }

    /** SIGSTOP: the process holds its sockets and connections but answers nothing, as a frozen machine would. */
    public void suspend() {
        process.signal("STOP");
    }

    /** SIGCONT after {@link #suspend}. */
    public void resume() {
        process.signal("CONT");
    }

    public long pid() {
        return process.pid();
    }

    public int terminate() {
        return process.terminate(Duration.ofSeconds(30));
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public String logText() {
        return process.logText();
    }

    public Path dir() {
        return dir;
    }

    public RestClient rest() {
        return new RestClient(baseUrl());
    }

    /** A client holding an admin token scoped to the project. */
    public RestClient admin(String projectId) {
        return rest().login(ADMIN_USER, ADMIN_PASSWORD, projectId);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
