package io.deskfleet.it;

import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.PostgresServer;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two replicas started at once on one fresh PostgreSQL database agree on the keys they generate there: a token
 * issued by either is accepted by the other, and each says on /prometheus which replica it is.
 */
class ReplicaAuthIT {
    private static final String PROJECT = "proj-replicas";
    @TempDir
    Path dir;

    @Test
    void replicasStartedTogetherAcceptEachOthersTokens() throws Exception {
        var binaries = PostgresServer.installedBinaries();
        assumeTrue(binaries.isPresent(), "no PostgreSQL server binaries under /usr/lib/postgresql");
        try (PostgresServer pg = PostgresServer.start(binaries.get());
             ControlPlaneProcess a = replica(pg, "replica-a");
             ControlPlaneProcess b = replica(pg, "replica-b")) {
            // at once: both may find no signing key and no administrator, and insert theirs; one insert wins each
            CompletableFuture.allOf(CompletableFuture.runAsync(a::start), CompletableFuture.runAsync(b::start)).join();

            RestClient fromA = a.admin(PROJECT);
            RestClient fromB = b.admin(PROJECT);
            assertEquals(200, b.rest().withToken(fromA.token()).get("/v2/" + PROJECT + "/desktop-pools").status());
            assertEquals(200, a.rest().withToken(fromB.token()).get("/v2/" + PROJECT + "/desktop-pools").status());

            assertEquals(List.of("deskfleet_replica_info{replica=\"replica-a\"} 1"), infoLines(a));
            assertEquals(List.of("deskfleet_replica_info{replica=\"replica-b\"} 1"), infoLines(b));
        }
    }

    /** The info gauge's samples, scraped as Prometheus does: no token, no JSON asked for. */
    private static List<String> infoLines(ControlPlaneProcess replica) throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode(), scrape.body());
        return scrape.body().lines().filter(line -> line.startsWith("deskfleet_replica_info")).toList();
    }

    private ControlPlaneProcess replica(PostgresServer pg, String id) {
        return new ControlPlaneProcess(dir.resolve(id))
                .withEnv("DATASOURCES_DEFAULT_URL", pg.jdbcUrl())
                .withEnv("DATASOURCES_DEFAULT_USERNAME", pg.user())
                .withEnv("DATASOURCES_DEFAULT_PASSWORD", "")
                .withEnv("DESKFLEET_REPLICA_ID", id);
    }
}
