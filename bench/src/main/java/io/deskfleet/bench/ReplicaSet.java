package io.deskfleet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Control-plane replicas cp1..cpN: the same jar in N child JVMs on free ports, all on one PostgreSQL database
 * (DESKFLEET_REPLICA_ID=cpN, docs/operations.md). They start one after the other, so that only the first applies the
 * schema migrations.
 */
final class ReplicaSet implements AutoCloseable {
    private final List<ControlPlaneProcess> replicas;

    private ReplicaSet(List<ControlPlaneProcess> replicas) {
        this.replicas = replicas;
    }

    /**
     * @param jvmOptions  every replica's extra JVM options
     * @param firstOnly   more options for cp1 only (a flight recording)
     */
    static ReplicaSet start(Path jar, Path dir, int count, PostgresProcess database, List<String> jvmOptions,
                            List<String> firstOnly) throws IOException, InterruptedException {
        List<ControlPlaneProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Map<String, String> env = new HashMap<>(database.environment());
                env.put("DESKFLEET_REPLICA_ID", id(i));
                List<String> options = new ArrayList<>(jvmOptions);
                if (i == 0) {
                    options.addAll(firstOnly);
                }
                started.add(ControlPlaneProcess.start(jar, dir.resolve(id(i)), options, env));
                BenchRunner.log("replica " + id(i) + " started, log " + started.get(i).log());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            started.forEach(ControlPlaneProcess::close);
            throw e;
        }
        return new ReplicaSet(started);
    }

    /** The replica id of the i-th replica, counted from 0: cp1, cp2, ... */
    static String id(int index) {
        return "cp" + (index + 1);
    }

    ControlPlaneProcess get(int index) {
        return replicas.get(index);
    }

    int size() {
        return replicas.size();
    }

    /** Every replica's agent address, in order: a swarm's connection i starts on address i % size. */
    List<String> grpcTargets() {
        return replicas.stream().map(ControlPlaneProcess::grpcTarget).toList();
    }

    /** CPU seconds all replicas have used so far (a killed one's no longer count). */
    double cpuSeconds() throws IOException {
        return overRunning(ControlPlaneProcess::cpuSeconds);
    }

    /** The JIT compiler threads' part of {@link #cpuSeconds}, over the replicas still running. */
    double compilerCpuSeconds() throws IOException {
        return overRunning(ControlPlaneProcess::compilerCpuSeconds);
    }

    private interface Reading {
        double of(ControlPlaneProcess replica) throws IOException;
    }

    private double overRunning(Reading reading) throws IOException {
        double total = 0;
        for (ControlPlaneProcess replica : replicas) {
            if (ProcessHandle.of(replica.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                total += reading.of(replica);
            }
        }
        return total;
    }

    /** The JVM's flags as -XX:+PrintCommandLineFlags wrote them into the replica's log (its first such line). */
    static String printedFlags(ControlPlaneProcess replica) throws IOException {
        try (Stream<String> lines = Files.lines(replica.log())) {
            return lines.filter(line -> line.startsWith("-XX:")).findFirst().orElse("(not printed)").trim();
        }
    }

    @Override
    public void close() {
        replicas.forEach(ControlPlaneProcess::close);
    }
}
