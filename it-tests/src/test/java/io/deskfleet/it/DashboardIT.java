package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.Chromium;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard page in a real browser (Debian's headless Chromium, over the DevTools protocol) against the real
 * control-plane jar and real agents: a user logs in through the form, sees the desktops online, and watches a
 * gray rollout fill its progress bars live, without reloading, down to a desktop's output.
 */
class DashboardIT {
    static final String PROJECT = "proj-ui";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient api;
    static Fleet fleet;
    static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(Chromium.binary())) {
            Assumptions.assumeFalse(Boolean.getBoolean(Chromium.SKIP_PROPERTY),
                    "skipped on purpose with -D" + Chromium.SKIP_PROPERTY + "=true");
            fail(Chromium.binary() + " is missing: apt-get install chromium (or -D" + Chromium.SKIP_PROPERTY
                    + "=true to skip browser tests)");
        }
        cp = new ControlPlaneProcess(dir).start();
        api = cp.admin(PROJECT);
        fleet = Fleet.create(cp, api, dir, PROJECT, "ui-pool", 3);
        fleet.startAgents("ui-desk", 3);
        browser = Chromium.launch(dir);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    /** A weekday 02:30 Shanghai schedule; returns its next fire time as the REST listing shows it. */
    private static String scheduleNightlyCommand() {
        ObjectNode body = RestClient.JSON.createObjectNode().put("task_name", "nightly cleanup")
                .put("task_type", "EXECUTE_SCRIPT").put("scheduled_type", "WEEK").put("week_list", "2,3,4,5,6")
                .put("scheduled_time", "02:30:00").put("time_zone", "Asia/Shanghai")
                .put("extra_params", "{\"command_content\":\"true\",\"command_type\":\"SHELL\"}");
        body.putArray("apply_objects").addObject().put("object_type", "DESKTOP_POOL").put("object_id", fleet.poolId());
        api.post("/v2/" + PROJECT + "/scheduled-tasks", body).expect(200);
        String next = api.get("/v2/" + PROJECT + "/scheduled-tasks").expect(200).get("scheduled_tasks").get(0)
                .get("next_execution_time").asText();
        assertTrue(next.matches("\\d{4}-\\d{2}-\\d{2} 02:30:00"), next);
        return next;
    }

    @Test
    void userLogsInSeesDesktopsOnlineAndWatchesAGrayRolloutFinishLive() throws Exception {
        String nextFire = scheduleNightlyCommand();
        browser.navigate(cp.baseUrl() + "/ui/");
        browser.await("the page's script to be ready", "document.body?.dataset.ready === 'true'", JsonNode::asBoolean);
        assertEquals(false, browser.eval("document.querySelector('#login').hidden").asBoolean(), "login form shown");
        browser.eval("""
                (() => { const f = document.querySelector('#login');
                  f.user.value = '%s'; f.password.value = '%s'; f.project.value = '%s';
                  f.requestSubmit(); return true; })()""".formatted(ControlPlaneProcess.ADMIN_USER,
                ControlPlaneProcess.ADMIN_PASSWORD, PROJECT));
        browser.await("the dashboard", "getComputedStyle(document.querySelector('#dashboard')).display !== 'none'",
                JsonNode::asBoolean);
        assertEquals("none", browser.eval("getComputedStyle(document.querySelector('#login')).display").asText(),
                "the login form is gone once logged in");
        assertEquals(PROJECT, browser.eval("sessionStorage.getItem('deskfleet.project')").asText());
        // A mark that a reload would wipe: everything below must happen on this same page.
        browser.eval("window.deskfleetTestMark = 'same page'");

        JsonNode online = browser.await("3 desktops online on the page",
                "[...document.querySelectorAll('#desktops tbody tr')].map(r => r.dataset.online)",
                rows -> rows.size() == 3 && rows.toString().equals("[\"true\",\"true\",\"true\"]"));
        assertEquals(3, online.size());
        assertEquals("3 of 3 online", browser.eval("document.querySelector('#online-count').textContent").asText());

        String taskId = new Executions(api, PROJECT).onPool(fleet.poolId(),
                Executions.command("sleep 1; hostname").put("gray_count", 1));
        String card = "document.getElementById('task-" + taskId + "')";
        String progress = "(() => { const c = " + card + "; if (!c) return null;"
                + " const b = n => { const e = c.querySelector(`.batch[data-batch=${n}]`);"
                + "   return e ? e.dataset.batch + ':' + e.dataset.done + '/' + e.dataset.total + ':ok=' + e.dataset.success : '-'; };"
                + " return c.dataset.status + ' ' + b('gray') + ' ' + b('rest'); })()";

        // Watch the bars as a person would: every state seen, until both batches are full.
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonNode value = browser.eval(progress);
            last = value.isNull() ? "no card" : value.asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(last)) {
                seen.add(last);
            }
            if (last.equals("SUCCESS gray:1/1:ok=1 rest:2/2:ok=2")) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("SUCCESS gray:1/1:ok=1 rest:2/2:ok=2", last, () -> "progress seen: " + seen);
        assertTrue(seen.stream().anyMatch(s -> s.contains("gray:1/1:ok=1 rest:0/2")),
                () -> "the gray bar filled before the rest ran (live, in batch order): " + seen);
        assertTrue(seen.stream().anyMatch(s -> s.contains("gray:0/1")),
                () -> "the task appeared before its gray desktop finished: " + seen);
        assertEquals("3 succeeded", browser.eval(card + ".querySelector('.counts').textContent.match(/\\d+ succeeded/)[0]")
                .asText());

        // A desktop's output, as the REST API has it.
        JsonNode record = api.get("/v2/" + PROJECT + "/script-execution-records?script_task_id=" + taskId + "&limit=1")
                .expect(200).get("script_records").get(0);
        String recordId = record.get("id").asText();
        String expectedOutput = api.get("/v2/" + PROJECT + "/script-execution-records/" + recordId).expect(200)
                .get("output").asText().trim();
        assertTrue(!expectedOutput.isEmpty(), "hostname printed something");
        browser.eval(card + ".querySelector('details.results').open = true");
        browser.eval(card + ".querySelector('tr[data-record=\"" + recordId + "\"] button.show-output').click()");
        JsonNode shown = browser.await("the desktop's output on the page",
                "(" + card + ".querySelector('pre.output[data-record=\"" + recordId + "\"]') || {}).textContent || ''",
                text -> text.asText().contains(expectedOutput));
        assertTrue(shown.asText().contains("[exit code 0]"), shown.asText());

        assertEquals(nextFire, browser.eval("document.querySelector('#schedules tbody tr .next-fire').textContent")
                .asText(), "the scheduled task's next fire time as the API has it");

        assertEquals("same page", browser.eval("window.deskfleetTestMark").asText(), "the page was never reloaded");
        browser.screenshot(SCREENSHOTS.resolve("dashboard.png"));
    }
}
