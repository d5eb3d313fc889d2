package io.deskfleet.api.execution;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import java.io.IOException;

/**
 * Reads {@code max_concurrency} as given: a JSON number ({@code 10}) or a string ({@code "10"}, {@code "25%"}), as
 * SSM's MaxConcurrency and Ansible's serial are written. {@link MaxConcurrency#parse} validates the text.
 */
public class CountOrPercentDeserializer extends JsonDeserializer<String> {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        // a float too, so that MaxConcurrency.parse can say what is wrong with 2.5
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                || token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        return (String) context.handleUnexpectedToken(String.class, parser);
    }
}
