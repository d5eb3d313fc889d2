package io.deskfleet.controlplane.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an audit event keeps of a request body: the JSON with every secret replaced by {@code "***"}, long strings
 * cut, the whole bounded, so the trail says what was asked without becoming a copy of passwords, access-key secrets,
 * activation codes or whole scripts. Also picks the ids a body names, for the event's targets. Pure.
 */
public final class RequestSummary {
    static final int MAX_CHARS = 4000;
    static final int MAX_STRING = 200;
    static final int MAX_TARGETS = 200;
    static final String REDACTED = "***";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A field whose name contains one of these holds a secret (password, secret, token, activation_code, ...). */
    private static final List<String> SECRET_PARTS = List.of("password", "secret", "token", "code", "credential_key",
            "private", "signature");

    private RequestSummary() {
    }

    /** The redacted, bounded summary of a body; null for an empty body. */
    public static String of(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        Optional<JsonNode> json = parse(body);
        if (json.isEmpty()) {
            return "(" + body.length + " bytes, not JSON)";
        }
        String text = redact(json.get()).toString();
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
    }

    /** The ids a body names: the values of {@code *_id} and {@code *_ids} fields, at any depth, project ids aside. */
    public static List<String> targetIds(byte[] body) {
        List<String> ids = new ArrayList<>();
        parse(body).ifPresent(json -> collectIds(json, ids));
        return ids.size() <= MAX_TARGETS ? ids : ids.subList(0, MAX_TARGETS);
    }

    /** The ids in a response body: {@code id}, {@code *_id} and the {@code access} of a new access key. */
    public static List<String> targetIds(JsonNode response) {
        List<String> ids = new ArrayList<>();
        if (response != null) {
            collectIds(response, ids);
        }
        return ids.size() <= MAX_TARGETS ? ids : ids.subList(0, MAX_TARGETS);
    }

    /** The user name a Keystone password body claims, for the trail of a failed login. */
    public static Optional<String> loginUserName(byte[] body) {
        return parse(body).map(j -> j.path("auth").path("identity").path("password").path("user").path("name"))
                .filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    static Optional<JsonNode> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean isSecret(String field) {
        String name = field.toLowerCase(Locale.ROOT);
        return name.equals("sk") || SECRET_PARTS.stream().anyMatch(name::contains);
    }

    private static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                // a secret's value goes, but an object under a secret-sounding name (Keystone's "password" object
                // holds the user's name too) is redacted field by field
                boolean hide = isSecret(field.getKey()) && !value.isContainerNode() && !value.isNull();
                copy.set(field.getKey(), hide ? TextNode.valueOf(REDACTED) : redact(value));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(element -> copy.add(redact(element)));
            return copy;
        }
        if (node.isTextual() && node.asText().length() > MAX_STRING) {
            String text = node.asText();
            return TextNode.valueOf(text.substring(0, MAX_STRING) + "…(" + text.length() + " chars)");
        }
        return node;
    }

    private static void collectIds(JsonNode node, List<String> ids) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                JsonNode value = field.getValue();
                boolean idField = (name.equals("id") || name.endsWith("_id") || name.equals("access"))
                        && !name.equals("project_id");
                if (idField && value.isTextual()) {
                    ids.add(value.asText());
                } else if (name.endsWith("_ids") && value.isArray()) {
                    value.forEach(v -> {
                        if (v.isTextual()) {
                            ids.add(v.asText());
                        }
                    });
                } else if (value.isContainerNode()) {
                    collectIds(value, ids);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> collectIds(element, ids));
        }
    }
}
