package io.deskfleet.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster from the machine's own server binaries (Debian's postgresql package) on a free port, for
 * control-plane tests that must see what the production database refuses and H2 accepts. The same approach as
 * it-tests' PostgresServer (that module's test classes are not visible here). PostgreSQL refuses to run as root,
 * so under root the cluster runs as the {@code postgres} user. It is stopped and deleted when the JVM exits, after
 * the Micronaut context using it has closed.
 */
public final class ThrowawayPostgres {
    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");

    private final Path binaries;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser = "root".equals(System.getProperty("user.name"));

    private ThrowawayPostgres(Path binaries, Path dir, int port) {
        this.binaries = binaries;
        this.dir = dir;
        this.port = port;
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

    public static ThrowawayPostgres start(Path binaries) throws IOException {
        Path dir = Files.createTempDirectory("deskfleet-pg-");
        ThrowawayPostgres pg = new ThrowawayPostgres(binaries, dir, freePort());
        if (pg.asPostgresUser) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        Path data = dir.resolve("pgdata");
        pg.run(List.of(binaries.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "deskfleet",
                "-E", "UTF8", "--no-locale"));
        pg.run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l",
                dir.resolve("postgres.log").toString(), "-o",
                "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "throwaway-postgres-stop"));
        return pg;
    }

    /**
     * A fresh cluster from the installed binaries, as the properties that point a control plane's default datasource
     * at it (for a test's getProperties()).
     */
    public static Map<String, String> datasource() {
        try {
            ThrowawayPostgres pg = start(installedBinaries().orElseThrow());
            return Map.of("datasources.default.url", pg.jdbcUrl(), "datasources.default.username", pg.user(),
                    "datasources.default.password", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "deskfleet";
    }

    private void stop() {
        try {
            run(List.of(binaries.resolve("pg_ctl").toString(), "-D", dir.resolve("pgdata").toString(), "-m",
                    "immediate", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
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
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
