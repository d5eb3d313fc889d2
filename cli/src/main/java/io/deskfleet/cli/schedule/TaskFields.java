package io.deskfleet.cli.schedule;

import io.deskfleet.api.schedule.ApplyObjectBody;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.cli.http.Json;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scheduled task does and to which desktops: the contract's task fields, with extra_params and apply_objects
 * built from options (or extra_params given as JSON, for power tasks).
 */
public final class TaskFields {
    @Option(names = "--name", paramLabel = "NAME", description = "task_name")
    String taskName;

    @Option(names = "--task-type", paramLabel = "START|STOP|REBOOT|HIBERNATE|EXECUTE_SCRIPT")
    String taskType;

    @Option(names = "--description")
    String description;

    @Option(names = "--command", paramLabel = "TEXT", description = "EXECUTE_SCRIPT: command_content of extra_params.")
    String command;

    @Option(names = "--command-type", paramLabel = "SHELL|POWERSHELL|BAT", description = "Interpreter of --command; default SHELL.")
    ScriptType commandType;

    @Option(names = "--script", split = ",", paramLabel = "SCRIPT_ID", description = "EXECUTE_SCRIPT: script_ids of extra_params.")
    List<String> scriptIds;

    @Option(names = "--timeout", paramLabel = "MINUTES", description = "EXECUTE_SCRIPT: execution_timeout of extra_params.")
    Integer timeoutMinutes;

    @Option(names = "--extra-params", paramLabel = "JSON", description = "extra_params as a JSON object string, instead of --command/--script.")
    String extraParams;

    @Option(names = "--pool", split = ",", paramLabel = "POOL_ID", description = "apply_objects: DESKTOP_POOL")
    List<String> pools;

    @Option(names = "--desktops", split = ",", paramLabel = "DESKTOP_ID", description = "apply_objects: DESKTOP")
    List<String> desktops;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "apply_objects: DESKTOP_TAG (repeatable)")
    List<String> tags;

    @Option(names = "--all-desktops", description = "apply_objects: ALL_DESKTOPS")
    boolean allDesktops;

    @Option(names = "--gray", negatable = true, description = "is_gray")
    Boolean gray;

    @Option(names = "--gray-count", paramLabel = "N")
    Integer grayCount;

    @Option(names = "--gray-desktops", split = ",", paramLabel = "DESKTOP_ID", description = "gray_desktop_ids")
    List<String> grayDesktopIds;

    @Option(names = "--gray-fail-threshold", paramLabel = "N")
    Integer grayFailThreshold;

    @Option(names = "--force-execute", negatable = true, description = "force_execute")
    Boolean forceExecute;

    @Option(names = "--enable", negatable = true, description = "enable (--no-enable disables the task)")
    Boolean enable;

    @Option(names = "--priority", paramLabel = "1-50")
    Integer priority;

    @Option(names = "--wait-time", paramLabel = "SECONDS")
    Integer waitTime;

    /** extra_params, or null when no option sets it; the caller has checked the options do not conflict. */
    String extraParams() {
        if (extraParams != null) {
            return extraParams;
        }
        if (command == null && scriptIds == null && timeoutMinutes == null) {
            return null;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        if (command != null) {
            params.put("command_content", command);
            params.put("command_type", (commandType == null ? ScriptType.SHELL : commandType).name());
        }
        if (scriptIds != null) {
            params.put("script_ids", scriptIds);
        }
        if (timeoutMinutes != null) {
            params.put("execution_timeout", timeoutMinutes);
        }
        return Json.write(params);
    }

    /** Which options conflict, or null. */
    String conflict() {
        if (extraParams != null && (command != null || scriptIds != null || timeoutMinutes != null)) {
            return "--extra-params replaces --command, --script and --timeout; give one or the other";
        }
        if (commandType != null && command == null) {
            return "--command-type applies to --command only";
        }
        return null;
    }

    /** apply_objects, or null when no target option is given (on modify: keep the stored ones). */
    List<ApplyObjectBody> applyObjects() {
        List<ApplyObjectBody> objects = new ArrayList<>();
        if (pools != null) {
            pools.forEach(id -> objects.add(new ApplyObjectBody(id, "DESKTOP_POOL")));
        }
        if (desktops != null) {
            desktops.forEach(id -> objects.add(new ApplyObjectBody(id, "DESKTOP")));
        }
        if (tags != null) {
            tags.forEach(tag -> objects.add(new ApplyObjectBody(tag, "DESKTOP_TAG")));
        }
        if (allDesktops) {
            objects.add(new ApplyObjectBody(null, "ALL_DESKTOPS"));
        }
        return objects.isEmpty() ? null : objects;
    }
}
