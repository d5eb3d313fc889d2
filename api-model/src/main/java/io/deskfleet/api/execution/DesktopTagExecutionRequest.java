package io.deskfleet.api.execution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.validation.Fields;

import java.util.List;

/**
 * Body of POST /v2/{project_id}/script-executions/by-desktop-tag: desktop_tag ("key=value") plus the desktop-pool
 * fields (without desktop_ids: the tag selects the desktops).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DesktopTagExecutionRequest(String desktopTag, List<String> scriptIds, Integer grayCount,
                                         List<String> grayDesktopIds, Integer grayFailThreshold, String preStart,
                                         String postFinish, String commandContent, String commandType,
                                         Integer executionTimeout,
                                         @JsonDeserialize(using = CountOrPercentDeserializer.class) String maxConcurrency,
                                         Boolean dryRun) {
    /** Same limits as the desktop_tags columns. */
    static final int MAX_TAG_KEY = 128;
    static final int MAX_TAG_VALUE = 255;

    public ExecutionRequest validate() {
        return new ExecutionRequest(
                tag(),
                ExecutionFieldRules.payload(scriptIds, commandContent, commandType),
                ExecutionFieldRules.gray("gray_desktop_ids", grayCount, grayDesktopIds, grayFailThreshold),
                ExecutionFieldRules.timeout(executionTimeout),
                PreStart.parse("pre_start", preStart),
                PostFinish.parse("post_finish", postFinish),
                MaxConcurrency.parse(maxConcurrency),
                Boolean.TRUE.equals(dryRun));
    }

    private ExecutionTarget.Tag tag() {
        String text = Fields.requiredText("desktop_tag", desktopTag, MAX_TAG_KEY + 1 + MAX_TAG_VALUE);
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw ApiException.invalid("desktop_tag: must be key=value, got '" + text + "'");
        }
        String key = text.substring(0, eq);
        String value = text.substring(eq + 1);
        if (key.isBlank() || value.isBlank() || key.length() > MAX_TAG_KEY || value.length() > MAX_TAG_VALUE) {
            throw ApiException.invalid("desktop_tag: key must be 1-" + MAX_TAG_KEY + " and value 1-" + MAX_TAG_VALUE
                    + " non-blank characters");
        }
        return new ExecutionTarget.Tag(key, value);
    }
}
