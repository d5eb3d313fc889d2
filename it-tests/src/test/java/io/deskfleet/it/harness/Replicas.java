package io.deskfleet.it.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Three control-plane replicas (DESKFLEET_REPLICA_ID cp1, cp2, cp3) on one throwaway PostgreSQL server, each with
 * its own ports and a small heap, as a clustered deployment runs them. Replicas are numbered 1 to 3.
 */
public final class Replicas implements AutoCloseable {
    public static final int COUNT = 3;

    private final PostgresServer pg;
    private final List<ControlPlaneProcess> replicas = new ArrayList<>();

    private Replicas(PostgresServer pg) {
        this.pg = pg;
    }

    /** Needs the machine's PostgreSQL binaries (see {@link PostgresServer#installedBinaries()}). */
    public static Replicas start(Path binaries, Path dir) throws IOException {
        Replicas cluster = new Replicas(PostgresServer.start(binaries));
        try {
            for (int i = 1; i <= COUNT; i++) {
                cluster.replicas.add(new ControlPlaneProcess(dir.resolve("cp" + i))
                        .withEnv("DESKFLEET_REPLICA_ID", "cp" + i)
                        .withEnv("DATASOURCES_DEFAULT_URL", cluster.pg.jdbcUrl())
                        .withEnv("DATASOURCES_DEFAULT_USERNAME", cluster.pg.user())
                        .withEnv("DATASOURCES_DEFAULT_PASSWORD", "")
                        // One processor each: three replicas, agents and the tests share a small machine.
                        .withJvmOptions("-XX:ActiveProcessorCount=1", "-Xmx256m"));
            }
            // The first one migrates the empty database alone; the others then start together.
            cluster.replica(1).start();
            CompletableFuture<?>[] others = cluster.replicas.subList(1, COUNT).stream()
                    .map(cp -> CompletableFuture.runAsync(cp::start)).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(others).join();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Replica 1, 2 or 3. */
    public ControlPlaneProcess replica(int number) {
        return replicas.get(number - 1);
    }

    public List<ControlPlaneProcess> all() {
        return List.copyOf(replicas);
    }

    /** The agents' --server value for one replica. */
    public String server(int number) {
        return replica(number).grpcTarget();
    }

    /** The agents' --server value naming every replica, comma-separated. */
    public String allServers() {
        return replicas.stream().map(ControlPlaneProcess::grpcTarget).collect(Collectors.joining(","));
    }

    /** For {@link Fleet#startAgentsVia}: every agent on one replica. */
    public IntFunction<String> allOn(int number) {
        String server = server(number);
        return agent -> server;
    }

    /** For {@link Fleet#startAgentsVia}: agent i on replica i % 3 + 1, so each replica holds some desktops. */
    public IntFunction<String> spread() {
        return agent -> server(agent % COUNT + 1);
    }

    /** SIGKILL: no goodbye to its agents, its leases or the database. */
    public void kill(int number) {
        replica(number).kill();
    }

    /** SIGSTOP: alive to its peers' sockets and the database, answering nothing. */
    public void suspend(int number) {
        replica(number).suspend();
    }

    public void resume(int number) {
        replica(number).resume();
    }

    /** Starts a replica again (after {@link #kill} or a terminate) on its ports, and waits until it is healthy. */
    public ControlPlaneProcess restart(int number) {
        ControlPlaneProcess cp = replica(number);
        if (cp.isAlive()) {
            cp.terminate();
        }
        return cp.start();
    }

    public String jdbcUrl() {
        return pg.jdbcUrl();
    }

    @Override
    public void close() throws IOException {
        // A suspended replica would ignore SIGTERM; close() kills, and SIGKILL reaches a stopped process too.
        replicas.forEach(ControlPlaneProcess::close);
        pg.close();
    }
}
