package io.deskfleet.controlplane.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

import java.io.IOException;

/**
 * Reads every JSON string of a request body as Jackson does, but refuses one holding a NUL character: PostgreSQL
 * cannot store NUL in text columns, so such a value would fail only when written (a 500), or be stored on H2 and
 * lost on a move to PostgreSQL. No field of the contract has a use for it. The refusal names the field
 * ({@link JsonBindingErrors}).
 */
final class TextWithoutNul extends StringDeserializer {
    static final String REFUSAL = "must not contain NUL (\\u0000) characters";

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = super.deserialize(parser, context);
        if (text != null && text.indexOf('\0') >= 0) {
            return (String) context.reportInputMismatch(this, REFUSAL);
        }
        return text;
    }
}
