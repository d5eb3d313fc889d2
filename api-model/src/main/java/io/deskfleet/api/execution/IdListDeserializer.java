package io.deskfleet.api.execution;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an id array whose items are strings or single-key objects ({@code {"resource_id": "..."}}), as the generic
 * script-executions page shows. Anything else is refused with a MismatchedInputException whose original message
 * names the field, which the HTTP layer turns into a 400.
 */
public abstract class IdListDeserializer extends JsonDeserializer<List<String>> {
    private final String field;
    private final String key;

    IdListDeserializer(String field, String key) {
        this.field = field;
        this.key = key;
    }

    @Override
    public List<String> deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return ctxt.reportInputMismatch(this, "%s", expectation());
        }
        List<String> ids = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == JsonToken.VALUE_STRING) {
                ids.add(parser.getText());
            } else if (token == JsonToken.START_OBJECT) {
                JsonNode item = parser.readValueAsTree();
                JsonNode id = item.get(key);
                if (id == null || !id.isTextual()) {
                    return ctxt.reportInputMismatch(this, "%s", expectation());
                }
                ids.add(id.textValue());
            } else {
                return ctxt.reportInputMismatch(this, "%s", expectation());
            }
        }
        return ids;
    }

    private String expectation() {
        return field + ": must be an array of strings or of objects {\"" + key + "\": \"...\"}";
    }

    /** For resource_ids. */
    public static final class ResourceIds extends IdListDeserializer {
        public ResourceIds() {
            super("resource_ids", "resource_id");
        }
    }

    /** For gray_resource_ids. */
    public static final class GrayResourceIds extends IdListDeserializer {
        public GrayResourceIds() {
            super("gray_resource_ids", "resource_id");
        }
    }

    /** For script_ids. */
    public static final class ScriptIds extends IdListDeserializer {
        public ScriptIds() {
            super("script_ids", "script_id");
        }
    }
}
