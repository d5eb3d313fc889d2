package io.deskfleet.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from the machine's own server binaries (Debian's postgresql package), on a free
 * port, for tests of the control plane's production database. PostgreSQL refuses to run as root, so under root
 * the cluster runs as the {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");

    private final Path binaries;
    private final Path dir;
    private final Path dataDir;
    private final int port = Ports.free();
    private final boolean asPostgresUser;

    private PostgresServer(Path binaries, Path dir) {
        this.binaries = binaries;
        this.dir = dir;
        this.dataDir = dir.resolve("pgdata");
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /** The newest installed server's bin directory, if any. */
    public static Optional<Path> installedBinaries() {
        if (!Files.isDirectory(DEBIAN_BINARIES)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new cluster in a directory of its own under the system temp dir (the postgres user must reach it). */
    public static PostgresServer start(Path binaries) throws IOException {
        Path dir = Files.createTempDirectory("deskfleet-pg-");
        PostgresServer server = new PostgresServer(binaries, dir);
        if (server.asPostgresUser) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        server.run(List.of(binaries.resolve("initdb").toString(), "-D", server.dataDir.toString(), "-A", "trust",
                "-U", "deskfleet", "-E", "UTF8", "--no-locale"));
        server.run(List.of(binaries.resolve("pg_ctl").toString(), "-D", server.dataDir.toString(), "-w", "-l",
                dir.resolve("postgres.log").toString(), "-o",
                "-p " + server.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "deskfleet";
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(List.of(binaries.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
