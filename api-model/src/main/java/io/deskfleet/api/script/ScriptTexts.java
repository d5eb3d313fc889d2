package io.deskfleet.api.script;

import io.deskfleet.api.error.ApiException;

/** Free-text script fields: unlike names and ids, an empty description or version simply means "none". */
final class ScriptTexts {
    private ScriptTexts() {
    }

    static String optional(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(field + ": must be at most " + maxLength + " characters");
        }
        return value;
    }
}
