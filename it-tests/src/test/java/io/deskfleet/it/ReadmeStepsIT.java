package io.deskfleet.it;

import io.deskfleet.it.harness.ControlPlaneProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's hand-run steps ("Running it by hand"), run with bash as a user pastes them, against the real
 * control-plane jar and a real agent: every step succeeds and sets its variable, and the command runs on the agent.
 * Then the failures the README shows (a wrong password, the pool created again) print the API's error and set no
 * variable, in a shell that has them from before and in a fresh one.
 */
class ReadmeStepsIT {
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path dir;

    @Test
    void theHandRunStepsWorkAndTheirFailuresSetNoVariable() throws Exception {
        String steps = handRunSteps();
        try (ControlPlaneProcess cp = new ControlPlaneProcess(dir.resolve("cp"))
                .withEnv("WKS_ADMIN_PASSWORD", "change-me").start()) {
            String script = steps.replace("API=http://localhost:8080", "API=" + cp.baseUrl())
                    .replace("--server localhost:9090", "--server " + cp.grpcTarget())
                    .replace("agent/deskfleet-agent", Path.of("..", "agent", "deskfleet-agent").toAbsolutePath()
                            .normalize().toString())
                    + """

                    echo "POOL=$POOL"; echo "ACTIVATION_ID=$ACTIVATION_ID"; echo "ACTIVATION_CODE=$ACTIVATION_CODE"
                    echo "TASK=$TASK"; echo "SCHEDULE=$SCHEDULE"
                    for i in $(seq 1 100); do
                      api GET "/v2/my-project/script-execution-tasks?task_id=$TASK" >/dev/null
                      [[ $ANSWER == *'"status":"SUCCESS"'* ]] && { echo TASK_SUCCEEDED; break; }
                      sleep 0.2
                    done
                    KEPT_TOKEN=$TOKEN KEPT_POOL=$POOL
                    login admin wrong-password my-project
                    echo "WRONG_PASSWORD rc=$? token kept: $([ "$TOKEN" = "$KEPT_TOKEN" ] && echo yes)"
                    api POST /v2/my-project/desktop-pools '{"name":"lab","type":"DYNAMIC"}' && keep POOL id
                    echo "POOL_AGAIN rc=$? pool kept: $([ "$POOL" = "$KEPT_POOL" ] && echo yes)"
                    unset TOKEN POOL
                    login admin wrong-password my-project
                    echo "FRESH_WRONG_PASSWORD rc=$? token: ${TOKEN-unset}"
                    login admin change-me my-project
                    api POST /v2/my-project/desktop-pools '{"name":"lab","type":"DYNAMIC"}' && keep POOL id
                    echo "FRESH_POOL_AGAIN rc=$? pool: ${POOL-unset}"
                    """;
            Path file = dir.resolve("steps.sh");
            // The agent the steps start in the background is stopped with the shell, and its own child JVM first.
            Files.writeString(file, "trap 'for p in $(jobs -p); do pkill -TERM -P \"$p\"; kill \"$p\"; done' EXIT\n"
                    + script);
            ProcessBuilder builder = new ProcessBuilder("bash", file.toString()).directory(dir.toFile())
                    .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
            builder.environment().put("DESKFLEET_AGENT_JAR", System.getProperty("deskfleet.agentJar"));
            Process bash = builder.start();
            assertTrue(bash.waitFor(120, TimeUnit.SECONDS), "the steps finished");
            String out = Files.readString(dir.resolve("out.txt"));
            String err = Files.readString(dir.resolve("err.txt"));
            Map<String, String> vars = out.lines().filter(l -> l.matches("[A-Z_]+=.*"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                            (a, b) -> b));
            String context = "stdout:\n" + out + "\nstderr:\n" + err;
            for (String name : List.of("POOL", "ACTIVATION_ID", "TASK", "SCHEDULE")) {
                assertTrue(vars.getOrDefault(name, "").matches(UUID), name + " " + context);
            }
            assertTrue(vars.getOrDefault("ACTIVATION_CODE", "").length() >= 20, context);
            assertTrue(out.contains("TASK_SUCCEEDED"), "hostname ran on the agent: " + context);

            assertTrue(out.contains("WRONG_PASSWORD rc=1 token kept: yes"), context);
            assertTrue(out.contains("POOL_AGAIN rc=1 pool kept: yes"), context);
            assertTrue(out.contains("FRESH_WRONG_PASSWORD rc=1 token: unset"), context);
            assertTrue(out.contains("FRESH_POOL_AGAIN rc=1 pool: unset"), context);
            assertEquals(2, count(err, "login failed: {\"error_code\":\"WKS.00211302\""), context);
            assertEquals(2, count(err, "POST /v2/my-project/desktop-pools failed: {\"error_code\":\"WKS.00210409\""),
                    context);
        }
    }

    /** The second bash block of the README's "Running it by hand": what runs once the control plane is up. */
    private static String handRunSteps() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("## Running it by hand"),
                readme.indexOf("\n## ", readme.indexOf("## Running it by hand") + 1));
        List<String> blocks = new ArrayList<>();
        Matcher m = BASH_BLOCK.matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertEquals(2, blocks.size(), "the build-and-start block, then the steps");
        return blocks.get(1);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
