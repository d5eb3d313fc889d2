package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.PostgresServer;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The production database: the real control-plane jar on a real PostgreSQL server (the machine's own binaries;
 * .ci/run installs them where missing), through migrations, registration, a gray rollout, the queries and a
 * restart.
 */
class PostgresIT {
    static final String PROJECT = "proj-pg";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    Path dir;

    @Test
    void theWholeFlowRunsOnPostgres() throws Exception {
        var binaries = PostgresServer.installedBinaries();
        assumeTrue(binaries.isPresent(), "no PostgreSQL server binaries under /usr/lib/postgresql");
        try (PostgresServer pg = PostgresServer.start(binaries.get());
             ControlPlaneProcess cp = new ControlPlaneProcess(dir.resolve("cp"))
                     .withEnv("DATASOURCES_DEFAULT_URL", pg.jdbcUrl())
                     .withEnv("DATASOURCES_DEFAULT_USERNAME", pg.user())
                     .withEnv("DATASOURCES_DEFAULT_PASSWORD", "")
                     .start()) {
            assertTrue(cp.logText().contains("PostgreSQL"), "migrated a PostgreSQL database");
            RestClient api = cp.admin(PROJECT);
            Executions executions = new Executions(api, PROJECT);
            try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "pg-pool", 3)) {
                fleet.startAgents("pg", 3, "db=postgres");
                String script = executions.createScript("binary_output", "printf 'a\\000b'; echo; echo ok");
                ObjectNode body = RestClient.JSON.createObjectNode().put("gray_count", 1).put("gray_fail_threshold", 1);
                body.putArray("script_ids").add(script);
                String taskId = executions.onPool(fleet.poolId(), body);
                JsonNode task = executions.awaitTerminal(taskId, PATIENCE);
                assertEquals("SUCCESS", task.get("status").asText(), task.toString());
                assertEquals(3, task.get("success_num").asInt());
                List<JsonNode> records = executions.records(taskId);
                assertEquals(3, records.size());
                assertTrue(records.get(0).get("output").asText().startsWith("a\uFFFDb"), records.get(0).toString());

                assertEquals(1, api.get("/v2/" + PROJECT + "/script-execution-tasks?script_name=BINARY_&task_type=SCRIPT")
                        .expect(200).get("count").asInt(), "LIKE with an escaped _ works on PostgreSQL");
                assertEquals(3, api.get("/v2/" + PROJECT + "/desktops/detail?tag=db=postgres").expect(200)
                        .get("total_count").asInt());
                assertEquals(1, api.get("/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail?desktop_pool_id="
                        + fleet.poolId()).expect(200).get("total_count").asInt());
                String desktop = records.get(1).get("resource_id").asText();
                JsonNode ofDesktop = api.get("/v2/" + PROJECT + "/script-execution-records?resource_id=" + desktop
                        + "&status=SUCCESS").expect(200);
                assertEquals(1, ofDesktop.get("count").asInt(), ofDesktop.toString());
                assertEquals(records.get(1).get("id").asText(), ofDesktop.get("script_records").get(0).get("id").asText(),
                        "one desktop's records, through its tasks, on PostgreSQL");

                cp.terminate();
                cp.start();
                RestClient again = cp.admin(PROJECT);
                assertEquals("SUCCESS", new Executions(again, PROJECT).task(taskId).get("status").asText());
                fleet.awaitOnline(3);
            }
        }
    }
}
