package io.deskfleet.api.execution;

import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.script.ScriptDefinition;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.api.validation.Fields;

import java.util.List;

/** The rules the three execution bodies share, so that the same field is judged the same way everywhere. */
final class ExecutionFieldRules {
    static final int MAX_GRAY = 1000;
    static final int MAX_TIMEOUT_MINUTES = 600;
    static final int DEFAULT_TIMEOUT_MINUTES = 1;
    static final int DEFAULT_FAIL_THRESHOLD = 1;

    private ExecutionFieldRules() {
    }

    /** Exactly one of script_ids and command_content; command_type goes with command_content only. */
    static ExecutionPayload payload(List<String> scriptIds, String commandContent, String commandType) {
        List<String> scripts = Fields.ids("script_ids", scriptIds);
        if (commandContent == null) {
            if (scripts.isEmpty()) {
                throw ApiException.invalid("script_ids: either script_ids or command_content is required");
            }
            if (commandType != null) {
                throw ApiException.invalid("command_type: only allowed with command_content");
            }
            return new ExecutionPayload.Scripts(scripts);
        }
        if (!scripts.isEmpty()) {
            throw ApiException.invalid("command_content: not allowed together with script_ids");
        }
        String content = Fields.requiredText("command_content", commandContent, ScriptDefinition.MAX_CONTENT);
        if (commandType == null) {
            throw ApiException.invalid("command_type: is required with command_content");
        }
        return new ExecutionPayload.Command(ScriptType.parse("command_type", commandType), content);
    }

    /**
     * gray_count (1-1000) takes precedence over the gray id list; gray_count 0 counts as not set. The threshold
     * (1-1000, default 1) must not exceed the gray batch size when that size is known here; a gray_count larger than
     * the resolved targets is clamped by the planner, which checks the threshold again.
     */
    static GraySpec gray(String grayIdsField, Integer grayCount, List<String> grayIds, Integer grayFailThreshold) {
        int count = Fields.intInRange("gray_count", grayCount, 0, MAX_GRAY, 0);
        List<String> ids = Fields.ids(grayIdsField, grayIds);
        if (ids.size() > MAX_GRAY) {
            throw ApiException.invalid(grayIdsField + ": at most " + MAX_GRAY + " ids");
        }
        int threshold = Fields.intInRange("gray_fail_threshold", grayFailThreshold, 1, MAX_GRAY,
                DEFAULT_FAIL_THRESHOLD);
        if (count == 0 && ids.isEmpty()) {
            if (grayFailThreshold != null) {
                throw ApiException.invalid("gray_fail_threshold: requires gray_count or " + grayIdsField);
            }
            return new GraySpec.None();
        }
        int batchSize = count > 0 ? count : ids.size();
        if (threshold > batchSize) {
            throw ApiException.invalid("gray_fail_threshold: " + threshold + " exceeds the gray batch size "
                    + batchSize);
        }
        return count > 0 ? new GraySpec.Count(count, threshold) : new GraySpec.Desktops(grayIdsField, ids, threshold);
    }

    static int timeout(Integer executionTimeout) {
        return Fields.intInRange("execution_timeout", executionTimeout, 1, MAX_TIMEOUT_MINUTES,
                DEFAULT_TIMEOUT_MINUTES);
    }
}
