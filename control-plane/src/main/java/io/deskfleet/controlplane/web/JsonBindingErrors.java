package io.deskfleet.controlplane.web;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Says which field of a request body Jackson could not bind, and why, in the words of the 400s our own validation
 * gives ({@code "gray_count: must be an integer"}): Jackson's own message names Java types and classes instead.
 */
final class JsonBindingErrors {
    private static final Set<Class<?>> INTEGERS = Set.of(Integer.class, int.class, Long.class, long.class,
            Short.class, short.class);

    private JsonBindingErrors() {
    }

    /** {@code field: reason} when the failure lies in a field of the body, else empty (e.g. malformed JSON). */
    static Optional<String> message(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                String field = field(mapping.getPath());
                String original = mapping.getOriginalMessage();
                // Our own deserializers (IdListDeserializer) already say it in these words.
                return Optional.of(original != null && original.startsWith(field + ": ") ? original
                        : field + ": " + reason(mapping));
            }
        }
        return Optional.empty();
    }

    /** The JSON path as our messages write it: {@code apply_objects[1].object_id}. */
    private static String field(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String reason(JsonMappingException mapping) {
        Throwable cause = mapping.getCause();
        if (cause instanceof InputCoercionException coercion) {
            return expected(coercion.getTargetType()) + " (out of range)";
        }
        if (mapping instanceof MismatchedInputException mismatch) {
            String original = mismatch.getOriginalMessage();
            if (original != null && original.equals(TextWithoutNul.REFUSAL)) {
                return original;
            }
            return mismatch.getTargetType() == null ? original : expected(mismatch.getTargetType());
        }
        return "has the wrong JSON type";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong JSON type";
        }
        if (INTEGERS.contains(type)) {
            return "must be an integer (a JSON number without fraction or exponent)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "must be a JSON object";
    }
}
