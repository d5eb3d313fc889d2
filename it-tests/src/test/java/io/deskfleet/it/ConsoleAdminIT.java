package io.deskfleet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskfleet.it.harness.Chromium;
import io.deskfleet.it.harness.ControlPlaneProcess;
import io.deskfleet.it.harness.Executions;
import io.deskfleet.it.harness.Fleet;
import io.deskfleet.it.harness.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's admin pages in headless Chromium against the real jar and a real agent: a second admin approves
 * (and rejects) protected runs from the approvals queue and finds the approval in the audit trail; an admin creates
 * a scheduled task from the form after seeing its next runs, then disables and renames it; a readonly user sees
 * these pages without a single write control, and the audit trail's refusal in words. One control plane and one
 * browser for the class; each test logs in as its own user.
 */
class ConsoleAdminIT {
    static final String PROJECT = "proj-console";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static ControlPlaneProcess cp;
    static RestClient admin;
    static Fleet fleet;
    static Chromium browser;
    static String desktopName;

    @BeforeAll
    static void start() {
        Chromium.requireBinary();
        cp = new ControlPlaneProcess(dir).start();
        admin = cp.admin(PROJECT);
        fleet = Fleet.create(cp, admin, dir, PROJECT, "prod-pool", 1);
        fleet.startAgents("prod", 1);
        desktopName = admin.get("/v2/" + PROJECT + "/desktops/detail").expect(200).get("desktops").get(0)
                .get("computer_name").asText();
        admin.post("/v2/" + PROJECT + "/protected-targets",
                RestClient.JSON.createObjectNode().put("object_type", "DESKTOP_POOL").put("object_id", fleet.poolId()))
                .expect(200);
        for (String[] user : new String[][] {{"bob", "admin"}, {"rita", "readonly"}}) {
            admin.put("/v2/" + PROJECT + "/users/" + user[0], RestClient.JSON.createObjectNode()
                    .put("password", password(user[0])).put("role", user[1])).expect(201);
        }
        try {
            browser = Chromium.launch(dir);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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

    static String password(String user) {
        return user + "-Password-1";
    }

    /** A run of the administrator (admin A) on the protected pool: it waits for a second admin. */
    static String adminRuns(String command) {
        String taskId = new Executions(admin, PROJECT).onPool(fleet.poolId(), Executions.command(command));
        assertEquals("WAITING", new Executions(admin, PROJECT).task(taskId).get("status").asText());
        return taskId;
    }

    static JsonNode approval(String taskId) {
        return admin.get("/v2/" + PROJECT + "/approvals/" + taskId).expect(200);
    }

    static long files(Path marks) throws IOException {
        try (Stream<Path> s = Files.list(marks)) {
            return s.count();
        }
    }

    /** Logs out whoever is logged in, logs in through the form and opens a page by its tab. */
    static void login(String user, String password, String pageId) {
        browser.navigate(cp.baseUrl() + "/ui/#" + pageId);
        browser.await("the page's script to be ready", "document.body?.dataset.ready === 'true'", JsonNode::asBoolean);
        browser.eval("(() => { const b = document.querySelector('#logout'); if (!b.hidden) b.click(); return true; })()");
        browser.eval("""
                (() => { const f = document.querySelector('#login');
                  f.user.value = '%s'; f.password.value = '%s'; f.project.value = '%s';
                  f.requestSubmit(); return true; })()""".formatted(user, password, PROJECT));
        browser.await(user + "'s console", "document.querySelector('#whoami').textContent",
                who -> who.asText().startsWith(user + " @ "));
        assertEquals(pageId, browser.eval("document.body.dataset.page").asText());
    }

    static JsonNode js(String expression) {
        return browser.eval(expression);
    }

    /** Sets a form control's value as a user would, firing its change event. */
    static void set(String selector, String value) {
        js("(() => { const e = document.querySelector(`%s`); e.value = `%s`;".formatted(selector, value)
                + " e.dispatchEvent(new Event('change', { bubbles: true })); return true; })()");
    }

    static void check(String selector, boolean checked) {
        js("(() => { const e = document.querySelector(`%s`); e.checked = %s;".formatted(selector, checked)
                + " e.dispatchEvent(new Event('change', { bubbles: true })); return true; })()");
    }

    static void click(String selector) {
        js("document.querySelector(`" + selector + "`).click()");
    }

    static String text(String selector) {
        return js("document.querySelector(`" + selector + "`)?.textContent ?? null").asText();
    }

    @Test
    void aSecondAdminApprovesAProtectedRunFromTheQueueAndFindsItInTheAuditTrail() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("approved"));
        String approved = adminRuns("mktemp " + marks + "/ran.XXXXXX");

        String card = ".appr-card[data-task=\"" + approved + "\"]";
        // Admin A sees their own run waiting, and may withdraw it but not approve it (the API refuses it too).
        login(ControlPlaneProcess.ADMIN_USER, ControlPlaneProcess.ADMIN_PASSWORD, "approvals");
        browser.await("admin's own held task", "!!document.querySelector(`" + card + "`)", JsonNode::asBoolean);
        assertTrue(js("document.querySelector(`" + card + " .appr-approve`).disabled").asBoolean(),
                "the requester's Approve button is disabled");
        assertEquals("Withdraw", text(card + " .appr-reject"));

        login("bob", password("bob"), "approvals");
        browser.await("the held task in bob's queue", "document.querySelector(`" + card + "`)?.dataset.status ?? null",
                s -> s.asText().equals("PENDING_APPROVAL"));
        String shown = text(card);
        assertTrue(shown.contains("requested by admin"), shown);
        assertTrue(shown.contains("Runs this SHELL command:mktemp " + marks + "/ran.XXXXXX"), "what bob approves: " + shown);
        assertTrue(shown.contains("On 1 desktop: " + desktopName), shown);
        assertTrue(text("#tabs a[data-page=approvals]").matches("Approvals \\(\\d+\\)"),
                "the tab counts the waiting tasks: " + text("#tabs a[data-page=approvals]"));
        browser.screenshot(SCREENSHOTS.resolve("approvals.png"));
        assertEquals(0, files(marks), "nothing runs before the approval");

        click(card + " .appr-approve");
        browser.await("the approved task to leave the queue", "!document.querySelector(`" + card + "`)",
                JsonNode::asBoolean);
        assertEquals("bob", approval(approved).get("decided_by").asText());
        JsonNode task = new Executions(admin, PROJECT).awaitTerminal(approved, PATIENCE);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(1, files(marks));

        // A run held while the page is open appears without a reload; rejecting it needs a reason.
        Path rejectedMarks = Files.createDirectories(dir.resolve("rejected"));
        String rejected = adminRuns("mktemp " + rejectedMarks + "/ran.XXXXXX");
        String rejectCard = ".appr-card[data-task=\"" + rejected + "\"]";
        browser.await("the new held task, live", "!!document.querySelector(`" + rejectCard + "`)", JsonNode::asBoolean);
        click(rejectCard + " .appr-reject");
        assertEquals("A reason is required to reject.", text(rejectCard + " .appr-error"));
        assertEquals("PENDING_APPROVAL", approval(rejected).get("status").asText(), "nothing was sent");
        set(rejectCard + " .appr-reason", "change freeze");
        click(rejectCard + " .appr-reject");
        browser.await("the rejected task to leave the queue", "!document.querySelector(`" + rejectCard + "`)",
                JsonNode::asBoolean);
        JsonNode decision = approval(rejected);
        assertEquals("REJECTED", decision.get("status").asText());
        assertEquals("change freeze", decision.get("reason").asText());
        assertEquals("CANCELLED", new Executions(admin, PROJECT).task(rejected).get("status").asText());
        assertEquals(0, files(rejectedMarks));

        // The audit trail, filtered by user and operation, shows bob's approval as the API has it.
        js("location.hash = 'audit'");
        set("#audit-filters [name=user_name]", "bob");
        set("#audit-filters [name=operation]", "POST /approvals/{task_id}/approve");
        js("document.querySelector('#audit-filters').requestSubmit()");
        JsonNode expected = admin.get("/v2/" + PROJECT + "/audit-events?user_name=bob&operation="
                + URLEncoder.encode("POST /approvals/{task_id}/approve", StandardCharsets.UTF_8)).expect(200);
        assertEquals(1, expected.get("total_count").asInt(), expected.toString());
        String eventId = expected.get("audit_events").get(0).get("id").asText();
        JsonNode rows = browser.await("bob's approval in the audit trail",
                "[...document.querySelectorAll('#audit tbody tr')].map(r => r.dataset.id)",
                ids -> ids.toString().equals("[\"" + eventId + "\"]"));
        assertEquals(1, rows.size());
        String row = text("#audit tbody tr");
        assertTrue(row.contains(approved) && row.contains("success 200") && row.contains("bob admin"), row);
        assertEquals("1–1 of 1", text("#page-audit .pager-info"));
        browser.screenshot(SCREENSHOTS.resolve("audit.png"));

        // A target's link filters by it (with the user: what bob did to the approved task); a time range after now
        // finds none.
        set("#audit-filters [name=operation]", "");
        click("#audit tbody tr .audit-targets button");
        assertEquals(approved, js("document.querySelector('#audit-filters [name=target_id]').value").asText());
        int onTarget = admin.get("/v2/" + PROJECT + "/audit-events?user_name=bob&target_id=" + approved).expect(200)
                .get("total_count").asInt();
        browser.await("bob's events on the approved task", "document.querySelector('#page-audit .pager-info').textContent",
                t -> t.asText().equals("1–" + onTarget + " of " + onTarget));
        set("#audit-filters [name=start_time]", LocalDateTime.now().plusDays(1).withNano(0).toString());
        js("document.querySelector('#audit-filters').requestSubmit()");
        browser.await("no event after tomorrow", "document.querySelector('#page-audit .pager-info').textContent",
                t -> t.asText().equals("none"));
    }

    @Test
    void anAdminCreatesAScheduledTaskFromTheFormAfterSeeingItsNextRuns() throws Exception {
        login("bob", password("bob"), "schedules");
        click("#schedule-new");
        browser.await("the form with a first preview",
                "!document.querySelector('#schedule-editor').hidden && document.querySelector('#schedule-preview').dataset.state"
                        + " + ': ' + document.querySelector('#schedule-preview').textContent",
                s -> s.asText().startsWith("ok: Next runs"));

        set("#schedule-form [name=task_name]", "weekly patch");
        set("#schedule-form [name=task_type]", "EXECUTE_SCRIPT");
        set("#schedule-form [name=command_content]", "echo patch");
        set("#schedule-form [name=scheduled_type]", "WEEK");
        check("#schedule-form [name=week_day][value='2']", true);
        check("#schedule-form [name=week_day][value='4']", true);
        set("#schedule-form [name=scheduled_time]", "03:15:00");
        set("#schedule-form [name=time_zone]", "Asia/Shanghai");
        set("#schedule-targets .sched-target-value select", fleet.poolId());

        ObjectNode week = RestClient.JSON.createObjectNode().put("scheduled_type", "WEEK").put("week_list", "2,4")
                .put("scheduled_time", "03:15:00").put("time_zone", "Asia/Shanghai");
        List<String> nextRuns = new ArrayList<>();
        admin.post("/v2/" + PROJECT + "/scheduled-tasks/future-executions", week).expect(200)
                .get("future_executions").forEach(t -> nextRuns.add(t.asText()));
        assertEquals(5, nextRuns.size());
        String preview = "[...document.querySelectorAll('#schedule-preview li')].map(li => li.textContent)";
        browser.await("the form's preview of the next runs", preview,
                runs -> runs.toString().equals(RestClient.JSON.valueToTree(nextRuns).toString()));
        assertEquals("Next runs (Asia/Shanghai):", text("#schedule-preview p"));
        browser.screenshot(SCREENSHOTS.resolve("schedule-form.png"));

        // A schedule the control plane refuses: its error_msg is shown by the form, in the preview and on save.
        set("#schedule-form [name=scheduled_type]", "FIXED_TIME");
        set("#schedule-form [name=scheduled_date]", "2020-01-01");
        JsonNode refusal = admin.post("/v2/" + PROJECT + "/scheduled-tasks/future-executions",
                RestClient.JSON.createObjectNode().put("scheduled_type", "FIXED_TIME").put("scheduled_date", "2020-01-01")
                        .put("scheduled_time", "03:15:00").put("time_zone", "Asia/Shanghai")).expect(400);
        String message = refusal.get("error_msg").asText() + " (" + refusal.get("error_code").asText() + ")";
        browser.await("the refusal in the preview", "document.querySelector('#schedule-preview').textContent",
                t -> t.asText().equals(message));
        click("#schedule-save");
        browser.await("the refusal by the form", "document.querySelector('#schedule-form-error').textContent",
                t -> t.asText().equals(message));
        assertTrue(js("!!document.querySelector('#schedule-form .sched-invalid [name=scheduled_date]')").asBoolean(),
                "the refused field is marked");
        assertEquals(0, admin.get("/v2/" + PROJECT + "/scheduled-tasks?task_name=weekly").expect(200)
                .get("total_count").asInt(), "nothing was stored");

        set("#schedule-form [name=scheduled_type]", "WEEK");
        browser.await("the weekly preview again", preview,
                runs -> runs.toString().equals(RestClient.JSON.valueToTree(nextRuns).toString()));
        click("#schedule-save");
        browser.await("the form to close", "document.querySelector('#schedule-editor').hidden", JsonNode::asBoolean);

        JsonNode listed = admin.get("/v2/" + PROJECT + "/scheduled-tasks?task_name=weekly").expect(200)
                .get("scheduled_tasks");
        assertEquals(1, listed.size(), listed.toString());
        String id = listed.get(0).get("id").asText();
        JsonNode stored = admin.get("/v2/" + PROJECT + "/scheduled-tasks/" + id).expect(200);
        assertEquals("EXECUTE_SCRIPT", stored.get("task_type").asText());
        assertEquals("2,4", stored.get("week_list").asText());
        assertEquals("03:15:00", stored.get("scheduled_time").asText());
        assertEquals("Asia/Shanghai", stored.get("time_zone").asText());
        assertEquals(nextRuns.get(0), stored.get("next_execution_time").asText());
        JsonNode extra = RestClient.JSON.readTree(stored.get("extra_params").asText());
        assertEquals("echo patch", extra.get("command_content").asText());
        assertEquals("SHELL", extra.get("command_type").asText());
        assertEquals("[{\"object_id\":\"" + fleet.poolId() + "\",\"object_type\":\"DESKTOP_POOL\"}]",
                stored.get("apply_objects").toString());
        String row = "#schedules tbody tr[data-id=\"" + id + "\"]";
        assertEquals(nextRuns.get(0), text(row + " .next-fire"));
        assertTrue(text(row).contains("echo patch"), text(row));

        // Disable from the list; rename through the form, which sends only the name (the schedule is untouched).
        click(row + " .sched-toggle");
        browser.await("the row to show it disabled", "document.querySelector(`" + row + "`)?.dataset.enabled",
                e -> e.asText().equals("false"));
        JsonNode disabled = admin.get("/v2/" + PROJECT + "/scheduled-tasks/" + id).expect(200);
        assertFalse(disabled.get("enable").asBoolean());
        assertTrue(disabled.get("next_execution_time").isNull(), disabled.toString());

        click(row + " .sched-edit");
        browser.await("the form filled with the task", "document.querySelector('#schedule-editor').hidden ? ''"
                + " : document.querySelector('#schedule-editor-title').textContent", t -> t.asText().equals("Edit \"weekly patch\""));
        assertEquals("weekly patch", js("document.querySelector('#schedule-form [name=task_name]').value").asText());
        assertTrue(js("document.querySelector(\"#schedule-form [name=week_day][value='4']\").checked").asBoolean());
        set("#schedule-form [name=task_name]", "weekly patch (Mon, Wed)");
        click("#schedule-save");
        browser.await("the renamed row", "document.querySelector(`" + row + " .sched-name`)?.textContent"
                        + " + ' / form: ' + document.querySelector('#schedule-form-error').textContent",
                n -> n.asText().equals("weekly patch (Mon, Wed) / form: "));
        JsonNode put = admin.get("/v2/" + PROJECT + "/audit-events?limit=1&target_id=" + id + "&operation="
                + URLEncoder.encode("PUT /scheduled-tasks/{task_id}", StandardCharsets.UTF_8)).expect(200)
                .get("audit_events").get(0);
        assertEquals("{\"task_name\":\"weekly patch (Mon, Wed)\"}", put.get("request_summary").asText());
        assertEquals("2,4", admin.get("/v2/" + PROJECT + "/scheduled-tasks/" + id).expect(200).get("week_list").asText());
        browser.screenshot(SCREENSHOTS.resolve("schedules.png"));
    }

    @Test
    void aReadonlyUserSeesNoWriteControls() throws Exception {
        String held = adminRuns("true");
        ObjectNode nightly = RestClient.JSON.createObjectNode().put("task_name", "nightly reboot")
                .put("task_type", "REBOOT").put("scheduled_type", "DAY").put("day_interval", 1)
                .put("scheduled_time", "01:00:00");
        admin.post("/v2/" + PROJECT + "/scheduled-tasks", nightly).expect(200);

        login("rita", password("rita"), "schedules");
        assertTrue(text("#whoami").endsWith("(read only)"), text("#whoami"));
        browser.await("the scheduled tasks listed", "document.querySelectorAll('#schedules tbody tr').length",
                n -> n.asInt() > 0);
        browser.screenshot(SCREENSHOTS.resolve("readonly-schedules.png"));

        js("location.hash = 'approvals'");
        String card = ".appr-card[data-task=\"" + held + "\"]";
        browser.await("the held task in the queue", "!!document.querySelector(`" + card + "`)", JsonNode::asBoolean);
        browser.screenshot(SCREENSHOTS.resolve("readonly-approvals.png"));

        js("location.hash = 'audit'");
        JsonNode refusal = cp.rest().login("rita", password("rita"), PROJECT)
                .get("/v2/" + PROJECT + "/audit-events").json();
        browser.await("the audit trail's refusal in words", "document.querySelector('#audit-forbidden').textContent",
                t -> t.asText().startsWith(refusal.get("error_msg").asText()));
        assertTrue(js("document.querySelector('#audit-body').hidden").asBoolean(), "no filters nor table to use");
        browser.screenshot(SCREENSHOTS.resolve("readonly-audit.png"));

        JsonNode writeControls = js("""
                [...document.querySelectorAll('#page-schedules, #page-approvals, #page-audit')]
                  .flatMap(p => [...p.querySelectorAll('button, input, select, textarea')])
                  .filter(e => !e.closest('.pager, #audit-filters') && e.id !== 'approvals-status')
                  .map(e => e.outerHTML)""");
        assertEquals("[]", writeControls.toString(), "readonly users get only paging and filters");

        admin.post("/v2/" + PROJECT + "/approvals/" + held + "/reject",
                RestClient.JSON.createObjectNode().put("reason", "test over")).expect(200);
    }
}
