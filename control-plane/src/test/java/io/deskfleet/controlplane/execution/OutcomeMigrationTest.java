package io.deskfleet.controlplane.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database written by the version before V40, where a record's outcome lived in its execution_records row, is
 * upgraded: every record keeps its status, exit code, output, reason and times, and the records stay listable.
 */
class OutcomeMigrationTest {
    private static final String P = "migrate";
    private static final OffsetDateTime START = OffsetDateTime.of(2026, 11, 30, 8, 0, 0, 0, ZoneOffset.UTC);
    private final ControlPlaneOnDatabase db = new ControlPlaneOnDatabase(P);

    @Test
    void outcomesStoredInTheRecordRowsSurviveTheUpgrade() throws Exception {
        Flyway.configure().dataSource(db.url, "sa", "").locations("classpath:db/migration").target("32").load()
                .migrate();
        String taskId = UUID.randomUUID().toString();
        try (Connection c = DriverManager.getConnection(db.url, "sa", "")) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_tasks (id, project_id, pool_id, task_type, status, gray_fail_threshold,
                        execution_timeout, pre_start, post_finish, target_count, success_num, failed_num, skip_num,
                        retry_of, created_at, start_time, end_time, record_id_scheme)
                    VALUES (?, ?, NULL, 'COMMAND', 'FAILED', 1, 60, 'NONE', 'NONE', 3, 1, 1, 1, NULL, ?, ?, ?, 2)""")) {
                ps.setString(1, taskId);
                ps.setString(2, P);
                ps.setObject(3, START);
                ps.setObject(4, START);
                ps.setObject(5, START.plusSeconds(9));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_task_steps (task_id, step, script_id, script_name, script_type, content)
                    VALUES (?, 0, NULL, NULL, 'SHELL', 'hostname')""")) {
                ps.setString(1, taskId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO execution_records (id, task_id, project_id, desktop_id, desktop_name, step,
                        execute_order, batch_index, status, result_code, reason, exit_code, output, output_truncated,
                        start_time, end_time)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                oldRecord(ps, taskId, "d-1", 1, 0, "SUCCESS", "0", null, 0, "pc-1\n", false, 1, 2);
                oldRecord(ps, taskId, "d-2", 2, 1, "FAILED", "3", "exited with code 3", 3, "boom", true, 3, 4);
                oldRecord(ps, taskId, "d-3", 2, 1, "SKIPPED", null, "the gray batch failed", null, null, false,
                        null, 5);
                ps.executeBatch();
            }
        }

        try (EmbeddedServer server = db.start()) {
            String token = db.login(server);
            JsonNode page = db.send(server, token, "GET", "/script-execution-records?script_task_id=" + taskId,
                    null);
            assertEquals(3, page.get("count").asInt(), page::toString);
            Map<String, JsonNode> byDesktop = new HashMap<>();
            page.get("script_records").forEach(r -> byDesktop.put(r.get("resource_id").asText(), r));
            assertEquals("SUCCESS", byDesktop.get("d-1").get("status").asText());
            assertEquals("FAILED", byDesktop.get("d-2").get("status").asText());
            assertEquals("exited with code 3", byDesktop.get("d-2").get("reason").asText());
            assertEquals("SKIPPED", byDesktop.get("d-3").get("status").asText());
            assertEquals("the gray batch failed", byDesktop.get("d-3").get("reason").asText());

            JsonNode success = db.send(server, token, "GET", "/script-execution-records/"
                    + RecordIds.TASK_PREFIXED.of(taskId, "d-1", 0, 0), null);
            assertEquals("pc-1\n", success.get("output").asText(), success::toString);
            assertEquals(0, success.get("exit_code").asInt(), success::toString);
            assertFalse(success.get("output_truncated").asBoolean(), success::toString);
            assertEquals("2026-11-30T08:00:01Z", success.get("start_time").asText(), success::toString);
            assertEquals("2026-11-30T08:00:02Z", success.get("end_time").asText(), success::toString);
            JsonNode failed = db.send(server, token, "GET", "/script-execution-records/"
                    + RecordIds.TASK_PREFIXED.of(taskId, "d-2", 0, 0), null);
            assertEquals("boom", failed.get("output").asText(), failed::toString);
            assertEquals(3, failed.get("exit_code").asInt(), failed::toString);
            assertTrue(failed.get("output_truncated").asBoolean(), failed::toString);

            JsonNode failedOnly = db.send(server, token, "GET", "/script-execution-records?script_task_id=" + taskId
                    + "&status=FAILED", null);
            assertEquals(1, failedOnly.get("count").asInt(), failedOnly::toString);
        }
    }

    private static void oldRecord(PreparedStatement ps, String taskId, String desktopId, int order, int batch,
                                  String status, String resultCode, String reason, Integer exitCode, String output,
                                  boolean truncated, Integer startSecond, int endSecond) throws Exception {
        ps.setString(1, RecordIds.TASK_PREFIXED.of(taskId, desktopId, 0, 0));
        ps.setString(2, taskId);
        ps.setString(3, P);
        ps.setString(4, desktopId);
        ps.setString(5, "pc-" + desktopId);
        ps.setInt(6, order);
        ps.setInt(7, batch);
        ps.setString(8, status);
        ps.setString(9, resultCode);
        ps.setString(10, reason);
        ps.setObject(11, exitCode);
        ps.setString(12, output);
        ps.setBoolean(13, truncated);
        ps.setObject(14, startSecond == null ? null : START.plusSeconds(startSecond));
        ps.setObject(15, START.plusSeconds(endSecond));
        ps.addBatch();
    }
}
