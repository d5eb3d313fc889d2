package io.deskfleet.api.script;

import io.deskfleet.api.validation.Fields;

import java.util.List;

/** Interpreter of a script or an inline command. */
public enum ScriptType {
    POWERSHELL, BAT, SHELL;

    private static final List<String> ACCEPTED = List.of("POWERSHELL", "BAT", "SHELL");

    /** Case-insensitive; null stays null. */
    public static ScriptType parse(String field, String value) {
        return Fields.enumValue(field, value, ScriptType.class, ACCEPTED);
    }
}
