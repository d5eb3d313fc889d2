package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.Await;
import io.deskfleet.it.harness.Chromium;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (Debian's headless Chromium, over the DevTools protocol) against the real
 * control-plane jar and real agents, one of each for the class: a user logs in through the form, sees the desktops
 * online, and watches a gray rollout fill its progress bars live, without reloading, down to a desktop's output;
 * then runs a command from the Run page and watches its output arrive, stops a long task, sees a halted rollout's
 * skipped desktops and retries the failed one, and powers a desktop off and on. The login test runs first; the
 * others log in if it did not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
        Chromium.requireBinary();
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
    @Order(1)
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
        String card = "document.querySelector('#page-overview .task[data-task=\"" + taskId + "\"]')";
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
        browser.screenshot(SCREENSHOTS.resolve("overview.png"));
    }

    // ---- the Run, Tasks and Desktops pages (issue 26) ----

    /** Logs in through the form unless this page is logged in already (the tests share one browser). */
    private static void loggedIn() {
        browser.navigate(cp.baseUrl() + "/ui/#overview");
        browser.await("the page's script to be ready", "document.body?.dataset.ready === 'true'", JsonNode::asBoolean);
        if (browser.eval("!!sessionStorage.getItem('deskfleet.token')").asBoolean()) {
            return;
        }
        browser.eval("""
                (() => { const f = document.querySelector('#login');
                  f.user.value = '%s'; f.password.value = '%s'; f.project.value = '%s';
                  f.requestSubmit(); return true; })()""".formatted(ControlPlaneProcess.ADMIN_USER,
                ControlPlaneProcess.ADMIN_PASSWORD, PROJECT));
        browser.await("the dashboard", "!document.querySelector('#dashboard').hidden", JsonNode::asBoolean);
    }

    private static void openTab(String page) {
        browser.eval("location.hash = '#" + page + "'");
        browser.await("the " + page + " page shown", "!document.querySelector('#page-" + page + "').hidden",
                JsonNode::asBoolean);
    }

    /** Sets a form field of the Run form as a user would, firing its input and change events. */
    private static void setRunField(String name, String value) {
        browser.eval("""
                (() => { const f = document.querySelector('#run-form').elements['%s'];
                  f.value = %s; f.dispatchEvent(new Event('input', {bubbles: true}));
                  f.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"""
                .formatted(name, RestClient.JSON.valueToTree(value).toString()));
    }

    private static void click(String selector) {
        browser.await("a button " + selector, "!!document.querySelector(" + js(selector) + ")", JsonNode::asBoolean);
        browser.eval("document.querySelector(" + js(selector) + ").click()");
    }

    private static String js(String text) {
        return RestClient.JSON.valueToTree(text).toString();
    }

    private static String cardOn(String page, String taskId) {
        return "#page-" + page + " .task[data-task=\"" + taskId + "\"]";
    }

    /** The newest task's id, as the REST API lists it. */
    private static String newestTask() {
        return api.get("/v2/" + PROJECT + "/script-execution-tasks?limit=1").expect(200).get("script_tasks").get(0)
                .get("id").asText();
    }

    @Test
    @Order(2)
    void adminRunsACommandFromTheFormPreviewsItsBatchesAndWatchesItsOutputLive() throws Exception {
        loggedIn();
        openTab("run");
        browser.await("the pool with its desktops online", "document.querySelector('#run-form .run-target-count')?.textContent || document.querySelector('#live-state').textContent",
                text -> text.asText().equals("3 desktops: 3 online, 0 offline"));
        assertTrue(browser.eval("document.querySelector('#run-form').elements.pool.selectedOptions[0].textContent")
                .asText().startsWith("ui-pool"), "the pool is chosen by name");

        // A refusal shows the contract's error_msg next to the form, and starts nothing.
        int tasksBefore = api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200).get("count").asInt();
        setRunField("command", "hostname");
        setRunField("threshold", "2");
        click("#run-form .run-start");
        JsonNode error = browser.await("the refusal next to the form",
                "document.querySelector('#run-form .run-error').textContent", text -> !text.asText().isEmpty());
        assertTrue(error.asText().startsWith("gray_fail_threshold:") && error.asText().contains("WKS.00211102"),
                error.asText());
        assertEquals(tasksBefore, api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200).get("count").asInt());

        // Preview: one gray desktop, then the other two; nothing runs.
        setRunField("command", "echo line-1; sleep 2; echo line-2; sleep 2; echo line-3");
        setRunField("gray_count", "1");
        setRunField("threshold", "1");
        setRunField("max_concurrency", "1");
        click("#run-form .run-preview");
        JsonNode plan = browser.await("the batches previewed",
                "[...document.querySelectorAll('#run-form .run-plan tbody tr')].map(r => r.textContent)",
                rows -> rows.size() == 3);
        assertTrue(plan.get(0).asText().matches("1\\. gray1: ui-desk-\\d"), plan.toString());
        assertTrue(plan.get(1).asText().matches("2\\. rest1: ui-desk-\\d"), plan.toString());
        assertEquals(tasksBefore, api.get("/v2/" + PROJECT + "/script-execution-tasks").expect(200).get("count").asInt(),
                "a preview starts nothing");
        browser.screenshot(SCREENSHOTS.resolve("run.png"));

        click("#run-form .run-start");
        browser.await("the started task below the form", "!!document.querySelector('#run-task .task')",
                JsonNode::asBoolean);
        String taskId = newestTask();
        String card = cardOn("run", taskId);
        assertEquals("true", browser.eval("!!document.querySelector(" + js(card) + ")").asText());
        JsonNode head = browser.eval("(() => { const c = document.querySelector(" + js(card) + ");"
                + " return [c.querySelector('.task-what').textContent, c.querySelector('.task-where').textContent,"
                + " c.querySelector('.task-who').textContent]; })()");
        assertTrue(head.get(0).asText().startsWith("echo line-1; sleep 2"), head.toString());
        assertEquals("on pool ui-pool (3 desktops)", head.get(1).asText(), head.toString());
        assertEquals("by " + ControlPlaneProcess.ADMIN_USER, head.get(2).asText(), head.toString());

        // The gray desktop's first line shows while it still runs, before its last line was printed.
        JsonNode live = browser.await("output appearing live",
                "(() => { const row = document.querySelector(" + js(card + " tr[data-status=RUNNING]") + ");"
                        + " const tail = row && row.querySelector('pre.tail'); return tail ? tail.textContent : ''; })()",
                text -> text.asText().contains("line-1"));
        assertFalse(live.asText().contains("line-3"), "seen before the command ended: " + live.asText());

        browser.await("the task done, batch after batch",
                "document.querySelector(" + js(card) + ").dataset.status", s -> s.asText().equals("SUCCESS"));
        JsonNode bars = browser.eval("[...document.querySelectorAll(" + js(card + " .batch-text") + ")].map(b => b.textContent)");
        assertEquals("[\"1/1 done: 1 ok, 0 failed, 0 skipped\",\"2/2 done: 2 ok, 0 failed, 0 skipped\"]",
                bars.toString());
        String recordId = api.get("/v2/" + PROJECT + "/script-execution-records?script_task_id=" + taskId + "&limit=1")
                .expect(200).get("script_records").get(0).get("id").asText();
        click(card + " tr[data-record=\"" + recordId + "\"] button.show-output");
        JsonNode whole = browser.await("the whole output",
                "(document.querySelector(" + js(card + " pre.output") + ") || {}).textContent || ''",
                text -> !text.asText().isEmpty());
        assertEquals("line-1\nline-2\nline-3\n[exit code 0]", whole.asText());

        // The download saves the whole output as a file named after the desktop and the task.
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        allowDownloads(downloads);
        click(card + " tr[data-record=\"" + recordId + "\"] button.download-output");
        String desktopName = api.get("/v2/" + PROJECT + "/script-execution-records/" + recordId).expect(200)
                .get("resource_name").asText();
        Path file = downloads.resolve(desktopName + "-" + taskId.substring(0, 8) + ".log");
        Await.until("the downloaded output " + file, Duration.ofSeconds(30), () -> Files.exists(file), ok -> ok);
        assertEquals("line-1\nline-2\nline-3\n", Await.until("the whole file", Duration.ofSeconds(10),
                () -> readOrEmpty(file), text -> !text.isEmpty()));
    }

    /** Headless Chromium saves downloads only where told to (Browser's command; older builds know only Page's). */
    private static void allowDownloads(Path downloads) {
        ObjectNode params = RestClient.JSON.createObjectNode().put("behavior", "allow")
                .put("downloadPath", downloads.toString());
        try {
            browser.send("Browser.setDownloadBehavior", params);
        } catch (AssertionError notOnAPage) {
            browser.send("Page.setDownloadBehavior", params);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    @Order(3)
    void aLongTaskIsStoppedFromTheTasksPage() throws Exception {
        loggedIn();
        String taskId = new Executions(api, PROJECT).onPool(fleet.poolId(), Executions.command("sleep 300"));
        openTab("tasks");
        click("#task-paging .refresh");
        String card = cardOn("tasks", taskId);
        browser.await("the running task listed", "(document.querySelector(" + js(card) + ") || {dataset: {}}).dataset.status",
                s -> s.asText().equals("RUNNING"));
        // One desktop first (its row's stop): that desktop ends, the others run on.
        browser.eval("document.querySelector(" + js(card + " details.results") + ").open = true");
        browser.await("three desktops running", "[...document.querySelectorAll(" + js(card + " tbody tr")
                + ")].map(r => r.dataset.status)", rows -> rows.toString().equals("[\"RUNNING\",\"RUNNING\",\"RUNNING\"]"));
        String firstDesktop = browser.eval("document.querySelector(" + js(card + " tbody tr") + ").dataset.desktop").asText();
        click(card + " tbody tr .record-stop");
        browser.await("that desktop cancelled, the others running",
                "[...document.querySelectorAll(" + js(card + " tbody tr") + ")].map(r => r.dataset.desktop + ':' + r.dataset.status).sort()",
                rows -> rows.toString().contains(firstDesktop + ":CANCELLED")
                        && rows.toString().split("RUNNING", -1).length == 3);
        assertEquals("RUNNING", new Executions(api, PROJECT).task(taskId).get("status").asText());

        click(card + " .task-stop");
        browser.await("the task stopped on the page", "document.querySelector(" + js(card) + ").dataset.status",
                s -> s.asText().equals("CANCELLED"));
        JsonNode task = new Executions(api, PROJECT).awaitTerminal(taskId, Duration.ofSeconds(30));
        assertEquals("CANCELLED", task.get("status").asText(), task::toString);
        Await.until("every desktop killed", Duration.ofSeconds(30),
                () -> new Executions(api, PROJECT).task(taskId), t -> t.has("end_time"));
        browser.await("the card's rows cancelled",
                "[...document.querySelectorAll(" + js(card + " tbody tr") + ")].map(r => r.dataset.status)",
                rows -> rows.toString().equals("[\"CANCELLED\",\"CANCELLED\",\"CANCELLED\"]"));

        // the filters: by status and user, then a status this task does not have
        browser.eval("(() => { const f = document.querySelector('#task-filters').elements;"
                + " f.status.value = 'CANCELLED'; f.user.value = '" + ControlPlaneProcess.ADMIN_USER + "';"
                + " f.status.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
        browser.await("only cancelled tasks listed",
                "[...document.querySelectorAll('#task-list .task')].map(c => c.dataset.status + ':' + c.dataset.task)",
                rows -> rows.size() >= 1 && rows.toString().contains("CANCELLED:" + taskId)
                        && !rows.toString().contains("SUCCESS") && !rows.toString().contains("FAILED"));
        browser.screenshot(SCREENSHOTS.resolve("tasks.png"));
        browser.eval("(() => { const f = document.querySelector('#task-filters').elements;"
                + " f.status.value = ''; f.user.value = ''; f.status.dispatchEvent(new Event('change', {bubbles: true}));"
                + " return true; })()");

        // More running tasks than the page keeps streams for (a browser holds six connections to a host): the card
        // that gave its stream up reads its task instead, and still follows it to its end.
        Executions executions = new Executions(api, PROJECT);
        List<String> more = List.of(executions.onPool(fleet.poolId(), Executions.command("sleep 300")),
                executions.onPool(fleet.poolId(), Executions.command("sleep 300")),
                executions.onPool(fleet.poolId(), Executions.command("sleep 300")));
        String statuses = "[" + String.join(",", more.stream().map(id -> "(document.querySelector("
                + js(cardOn("overview", id)) + ") || {dataset: {}}).dataset.status").toList()) + "]";
        browser.await("three running tasks on the overview", statuses,
                s -> s.toString().equals("[\"RUNNING\",\"RUNNING\",\"RUNNING\"]"));
        assertEquals(2, browser.eval("streamingCards.length").asInt(), "streams kept open for task cards");
        more.forEach(id -> executions.stop(id).expect(200));
        browser.await("all three stopped on the overview", statuses,
                s -> s.toString().equals("[\"CANCELLED\",\"CANCELLED\",\"CANCELLED\"]"));
        browser.await("every desktop of the polled card cancelled",
                "[...document.querySelectorAll(" + js(cardOn("overview", more.get(0)) + " tbody tr")
                        + ")].map(r => r.dataset.status)",
                rows -> rows.toString().equals("[\"CANCELLED\",\"CANCELLED\",\"CANCELLED\"]"));
    }

    @Test
    @Order(4)
    void aHaltedRolloutShowsItsSkippedDesktopsAndTheFailedOneIsRetried() throws Exception {
        loggedIn();
        // Fails once per desktop: the marker lives in the agent's state dir (the script runs in invocations/ID/work).
        String failOnce = "m=../../../retry-marker; if [ -f $m ]; then echo second try; else touch $m; echo first try; exit 3; fi";
        String taskId = new Executions(api, PROJECT).onPool(fleet.poolId(),
                Executions.command(failOnce).put("gray_count", 1).put("gray_fail_threshold", 1));
        openTab("overview");
        String card = cardOn("overview", taskId);
        browser.await("the rollout halted", "(document.querySelector(" + js(card) + ") || {dataset: {}}).dataset.status",
                s -> s.asText().equals("FAILED"));
        JsonNode bars = browser.await("both bars full",
                "[...document.querySelectorAll(" + js(card + " .batch-text") + ")].map(b => b.textContent)",
                b -> b.toString().equals("[\"1/1 done: 0 ok, 1 failed, 0 skipped\",\"2/2 done: 0 ok, 0 failed, 2 skipped\"]"));
        assertEquals(2, bars.size());
        browser.eval("document.querySelector(" + js(card + " details.results") + ").open = true");
        JsonNode skipped = browser.eval("[...document.querySelectorAll(" + js(card + " tr[data-status=SKIPPED] .never-ran")
                + ")].map(e => e.textContent)");
        JsonNode reasons = api.get("/v2/" + PROJECT + "/script-execution-records?status=SKIPPED&script_task_id=" + taskId)
                .expect(200).get("script_records");
        assertEquals(2, skipped.size(), skipped::toString);
        assertEquals(reasons.get(0).get("reason").asText(), skipped.get(0).asText(), "the skip reason, not (no output)");
        assertTrue(browser.eval("document.querySelector(" + js(card + " tr[data-status=FAILED] .reason") + ").textContent")
                .asText().contains("exited with code 3"));

        click(card + " .task-retry");
        browser.await("the retry started", "document.querySelector(" + js(card + " .task-message") + ").textContent",
                t -> t.asText().startsWith("Retried as task "));
        String retry = newestTask();
        JsonNode retried = new Executions(api, PROJECT).awaitTerminal(retry, Duration.ofSeconds(60));
        assertEquals("SUCCESS", retried.get("status").asText(), retried::toString);
        assertEquals(taskId, retried.get("retry_of").asText());
        assertEquals(1, retried.get("resource_ids").size(), "only the failed gray desktop is retried");
        String retryCard = cardOn("overview", retry);
        browser.await("the retry on the overview, succeeded",
                "(document.querySelector(" + js(retryCard) + ") || {dataset: {}}).dataset.status",
                s -> s.asText().equals("SUCCESS"));
        assertTrue(browser.eval("document.querySelector(" + js(retryCard + " .task-who") + ").textContent").asText()
                .contains("retry of " + taskId.substring(0, 8)));
    }

    @Test
    @Order(5)
    void desktopsAreFilteredAndPoweredOffAndOnFromTheirPage() throws Exception {
        loggedIn();
        openTab("desktops");
        browser.await("three desktops listed", "document.querySelectorAll('#desktop-table tbody tr').length",
                n -> n.asInt() == 3);
        browser.eval("(() => { const f = document.querySelector('#desktop-filters').elements; f.name.value = 'ui-desk-2';"
                + " f.name.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
        browser.await("one desktop by name", "[...document.querySelectorAll('#desktop-table tbody tr .name')].map(e => e.textContent)",
                n -> n.toString().equals("[\"ui-desk-2\"]"));
        assertEquals("ui-pool", browser.eval("document.querySelector('#desktop-table tbody tr td:nth-child(3)').textContent")
                .asText(), "the pool by name");
        browser.eval("document.querySelector('#desktop-table .desktop-pick').checked = true");
        click(".desktop-actions button[data-op=os-stop]");
        browser.await("the desktop shut off on the page",
                "document.querySelector('#desktop-table tbody tr').dataset.status", s -> s.asText().equals("SHUTOFF"));
        browser.eval("(() => { const f = document.querySelector('#desktop-filters').elements; f.name.value = '';"
                + " f.status.value = 'SHUTOFF'; f.status.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
        browser.await("the power filter", "[...document.querySelectorAll('#desktop-table tbody tr .name')].map(e => e.textContent)",
                n -> n.toString().equals("[\"ui-desk-2\"]"));
        browser.screenshot(SCREENSHOTS.resolve("desktops.png"));
        browser.eval("document.querySelector('#desktop-table .desktop-pick').checked = true");
        click(".desktop-actions button[data-op=os-start]");
        Await.until("ui-desk-2 running again", Duration.ofSeconds(30), () -> fleet.desktops(),
                d -> d.toString().split("\"SHUTOFF\"", -1).length == 1);
        browser.eval("(() => { const f = document.querySelector('#desktop-filters').elements; f.status.value = '';"
                + " f.status.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
    }

    @Test
    @Order(6)
    void aReadonlyUserSeesNoWriteControls() throws Exception {
        api.put("/v2/" + PROJECT + "/users/viewer",
                RestClient.JSON.createObjectNode().put("password", "viewer-password-1").put("role", "readonly"))
                .expect(201);
        loggedIn();
        browser.eval("document.querySelector('#logout').click()");
        browser.eval("""
                (() => { const f = document.querySelector('#login');
                  f.user.value = 'viewer'; f.password.value = 'viewer-password-1'; f.project.value = '%s';
                  f.requestSubmit(); return true; })()""".formatted(PROJECT));
        browser.await("the console, read only", "document.querySelector('#whoami').textContent",
                t -> t.asText().endsWith("(read only)"));
        openTab("tasks");
        browser.await("the tasks listed", "document.querySelectorAll('#task-list .task').length", n -> n.asInt() > 0);
        openTab("desktops");
        browser.await("the desktops listed", "document.querySelectorAll('#desktop-table tbody tr').length",
                n -> n.asInt() == 3);
        assertEquals("[0,0,0,0,0,0,0]", browser.eval("['#run-form', '.task-stop', '.task-retry', '.record-stop',"
                + " '.record-retry', '.desktop-actions', '.desktop-pick'].map(s => document.querySelectorAll(s).length)")
                .toString(), "no write control on any page");
        browser.screenshot(SCREENSHOTS.resolve("desktops-readonly.png"));
        browser.eval("document.querySelector('#logout').click()");
    }
}
