package io.deskfleet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from the machine's own server binaries on a free port, as it-tests'
 * harness/PostgresServer starts one: PostgreSQL refuses to run as root, so under root it runs as {@code postgres}.
 * Unlike the tests' cluster, fsync is a choice: production runs with fsync on, and every commit then waits for the
 * disk.
 */
final class PostgresProcess implements AutoCloseable {
    static final Path DEFAULT_BINARIES = Path.of("/usr/lib/postgresql/15/bin");
    static final String USER = "deskfleet";
    /** The settings the bench reads back from the server and prints with its figures. */
    private static final List<String> SHOWN = List.of("server_version", "fsync", "synchronous_commit",
            "shared_buffers", "max_connections", "wal_buffers", "checkpoint_timeout", "max_wal_size");

    private final Path binaries;
    private final Path dir;
    private final Path dataDir;
    private final int port;
    private final boolean asPostgresUser;
    private final boolean statementStats;

    private PostgresProcess(Path binaries, Path dir, int port, boolean statementStats) {
        this.statementStats = statementStats;
        this.binaries = binaries;
        this.dir = dir;
        this.dataDir = dir.resolve("pgdata");
        this.port = port;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /**
     * A new cluster, fsync on or off, with pg_stat_statements loaded when {@code statementStats} (it costs a little
     * on every statement, so only a profiled run has it), in a directory of its own under the system temp dir: the postgres user must
     * reach it, which it cannot inside another temp directory of root's.
     */
    static PostgresProcess start(Path binaries, boolean fsync, boolean statementStats) throws IOException {
        if (!Files.isExecutable(binaries.resolve("initdb"))) {
            throw new IllegalStateException("no PostgreSQL server binaries in " + binaries
                    + " (Debian: apt-get install postgresql); choose others with --postgres-bin");
        }
        Path dir = Files.createTempDirectory("deskfleet-bench-pg-");
        PostgresProcess server = new PostgresProcess(binaries, dir, freePort(), statementStats);
        if (server.asPostgresUser) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        server.asServerUser(List.of(binaries.resolve("initdb").toString(), "-D", server.dataDir.toString(),
                "-A", "trust", "-U", USER, "-E", "UTF8", "--no-locale"));
        server.asServerUser(List.of(binaries.resolve("pg_ctl").toString(), "-D", server.dataDir.toString(), "-w",
                "-l", dir.resolve("postgres.log").toString(), "-o", "-p " + server.port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c fsync=" + (fsync ? "on" : "off")
                        + (statementStats ? " -c shared_preload_libraries=pg_stat_statements" : ""), "start"));
        return server;
    }

    /** Whether {@link #resetStatementStats} and {@link #topStatements} have data: started with statementStats. */
    boolean tracksStatements() {
        return statementStats;
    }

    /** Counts statements from now on (pg_stat_statements). */
    void resetStatementStats() {
        query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        query("SELECT pg_stat_statements_reset()");
    }

    /** The statements that took the most execution time since the reset, one per line: ms, calls, rows, text. */
    String topStatements(int limit) {
        return "total_ms calls rows statement\n" + query("SELECT round(total_exec_time), calls, rows,"
                + " left(regexp_replace(query, '\\s+', ' ', 'g'), 200) FROM pg_stat_statements"
                + " ORDER BY total_exec_time DESC LIMIT " + limit);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** What the control plane needs to use this database: DATASOURCES_DEFAULT_URL, _USERNAME, _PASSWORD. */
    Map<String, String> environment() {
        return Map.of("DATASOURCES_DEFAULT_URL", jdbcUrl(), "DATASOURCES_DEFAULT_USERNAME", USER,
                "DATASOURCES_DEFAULT_PASSWORD", "");
    }

    /** The server's own values of the settings that matter for write-heavy figures, as "name=value, ...". */
    String settings() {
        List<String> values = new ArrayList<>();
        for (String name : SHOWN) {
            values.add(name + "=" + query("SHOW " + name));
        }
        return String.join(", ", values);
    }

    /** One query through psql (unaligned, tuples only): its output, trimmed; rows on separate lines. */
    String query(String sql) {
        return run(List.of(binaries.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", USER, "-d", "postgres", "-X", "-A", "-t", "-F", " ", "-c", sql)).trim();
    }

    private void asServerUser(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * CPU seconds the server has used so far: the postmaster, its live processes (the replicas' pooled backends stay
     * up while they run) and its children that have exited (the postmaster's cutime and cstime).
     */
    double cpuSeconds() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        double total = ControlPlaneProcess.cpuSeconds(postmaster, true);
        for (ProcessHandle child : ProcessHandle.of(postmaster).map(h -> h.children().toList()).orElse(List.of())) {
            try {
                total += ControlPlaneProcess.cpuSeconds(child.pid());
            } catch (IOException e) {
                // Exited between the listing and the read: its time is in the postmaster's cutime from now on.
            }
        }
        return total;
    }

    private static int freePort() throws IOException {
        return Ports.free();
    }

    @Override
    public void close() throws IOException {
        try {
            asServerUser(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate",
                    "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
