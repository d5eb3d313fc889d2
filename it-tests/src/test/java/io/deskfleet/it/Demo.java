package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The README's demo: a control plane on embedded H2, five local agents in a pool, `hostname` run on them through
 * the REST API in a gray batch of one and then the rest, the per-desktop result printed, everything stopped.
 *
 * <p>Run by {@code mvn -B -DskipTests -Pdemo verify}, the demo runs inside Maven's JVM (exec:java), and Maven goes on
 * to build the later modules and print its reactor summary, which would bury the result. So the result is printed
 * once more by a shutdown hook when Maven's JVM exits, after everything Maven prints: it is the last thing the
 * command prints, a failure included.
 */
public final class Demo {
    private static final String PROJECT = "demo-project";
    /** The task's line and the per-desktop table, kept to be printed again last. */
    private static final List<String> RESULT = Collections.synchronizedList(new ArrayList<>());

    private Demo() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(System.getProperty("deskfleet.demoDir", "target/demo")).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        System.out.println("Deskfleet demo (files and logs in " + dir + ")");
        if (System.getProperty("maven.home") != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> printResultAgain(dir), "demo-result"));
        }
        try (ControlPlaneProcess cp = new ControlPlaneProcess(dir)) {
            cp.start();
            System.out.println("  control plane  REST " + cp.baseUrl() + "  agent gRPC " + cp.grpcTarget());
            RestClient api = cp.admin(PROJECT);
            System.out.println("  logged in as '" + ControlPlaneProcess.ADMIN_USER + "', project " + PROJECT);
            try (Fleet fleet = Fleet.create(cp, api, dir, PROJECT, "demo-pool", 5)) {
                fleet.startAgents("desktop", 5, "env=demo");
                JsonNode desktops = fleet.awaitOnline(5);
                System.out.println("  pool demo-pool: " + desktops.get("total_count").asInt() + " desktops online");
                List<JsonNode> sorted = new ArrayList<>();
                desktops.get("desktops").forEach(sorted::add);
                sorted.sort(Comparator.comparing(d -> d.get("computer_name").asText()));
                for (JsonNode d : sorted) {
                    System.out.printf("    %-10s %s  %s  agent %s%n", d.get("computer_name").asText(),
                            d.get("desktop_id").asText(), d.get("status").asText(),
                            d.get("agent_online").asBoolean() ? "online" : "offline");
                }
                runHostname(api, fleet.poolId());
            }
            System.out.println("Stopping the agents and the control plane.");
        }
        System.out.println("Done.");
    }

    /** A line of the result: printed now, and again when Maven's JVM exits. */
    private static void result(String line) {
        System.out.println(line);
        RESULT.add(line);
    }

    private static void printResultAgain(Path dir) {
        System.out.println();
        if (RESULT.isEmpty()) {
            System.out.println("Deskfleet demo: no result, it failed before the task ran (see above; logs in " + dir
                    + ")");
        } else {
            System.out.println("Deskfleet demo result: `hostname` on the pool's 5 desktops, a gray batch of 1 first");
            RESULT.forEach(System.out::println);
        }
        System.out.flush();
    }

    private static void runHostname(RestClient api, String poolId) {
        System.out.println();
        System.out.println("POST /v2/" + PROJECT + "/desktop-pools/" + poolId + "/script-executions");
        ObjectNode body = RestClient.JSON.createObjectNode()
                .put("command_content", "hostname")
                .put("command_type", "SHELL")
                .put("gray_count", 1)
                .put("gray_fail_threshold", 1);
        System.out.println("  " + body);
        long started = System.nanoTime();
        String taskId = api.post("/v2/" + PROJECT + "/desktop-pools/" + poolId + "/script-executions", body)
                .expect(200).get("task_id").asText();
        JsonNode task = Await.until("task " + taskId + " to finish", Duration.ofSeconds(60),
                () -> api.get("/v2/" + PROJECT + "/script-execution-tasks?task_id=" + taskId).expect(200)
                        .get("script_tasks").get(0),
                t -> !t.get("status").asText().matches("WAITING|RUNNING"));
        result(String.format("  task %s: %s in %.2f s (success %d, failed %d, skipped %d)", taskId,
                task.get("status").asText(), (System.nanoTime() - started) / 1e9, task.get("success_num").asInt(),
                task.get("failed_num").asInt(), task.get("skip_num").asInt()));
        JsonNode records = api.get("/v2/" + PROJECT + "/script-execution-records?script_task_id=" + taskId
                + "&limit=100").expect(200).get("script_records");
        result(String.format("  %-10s %-8s %-8s %-4s %s", "DESKTOP", "BATCH", "STATUS", "EXIT", "OUTPUT"));
        List<JsonNode> ordered = new ArrayList<>();
        records.forEach(ordered::add);
        ordered.sort(Comparator.<JsonNode>comparingInt(r -> r.get("execute_order").asInt())
                .thenComparing(r -> r.get("resource_name").asText()));
        for (JsonNode record : ordered) {
            JsonNode full = api.get("/v2/" + PROJECT + "/script-execution-records/" + record.get("id").asText())
                    .expect(200);
            String batch = switch (full.get("execute_order").asInt()) {
                case 1 -> "gray";
                case 2 -> "rest";
                default -> "-";
            };
            result(String.format("  %-10s %-8s %-8s %-4s %s", full.get("resource_name").asText(), batch,
                    full.get("status").asText(), full.path("exit_code").asText("-"),
                    full.path("output").asText("").strip()));
        }
        System.out.println();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
