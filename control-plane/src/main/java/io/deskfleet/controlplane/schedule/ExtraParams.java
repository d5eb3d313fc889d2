package io.deskfleet.controlplane.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.controlplane.refusal.Refusal;

/**
 * The rules {@code extra_params} follows whatever the task type: absent, or a JSON object of at most 2000
 * characters. What is inside belongs to the type ({@link TaskType#validate}).
 */
public final class ExtraParams {
    public static final int MAX_LENGTH = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExtraParams() {
    }

    /** The parsed object, or null when absent; every refusal names extra_params. */
    public static JsonNode parse(String extraParams) {
        if (extraParams == null) {
            return null;
        }
        if (extraParams.length() > MAX_LENGTH) {
            throw Refusal.invalid("extra_params: must be at most " + MAX_LENGTH + " characters").asException();
        }
        JsonNode root;
        try {
            root = JSON.readTree(extraParams);
        } catch (JsonProcessingException e) {
            throw Refusal.invalid("extra_params: is not valid JSON: " + e.getOriginalMessage()).asException();
        }
        if (root == null || !root.isObject()) {
            throw Refusal.invalid("extra_params: must be a JSON object").asException();
        }
        return root;
    }
}
