package io.deskfleet.api.script;

/** A validated script, ready to store. description and version are null when not given. */
public record ScriptDefinition(String name, ScriptType type, String content, String description, String version) {
    public static final int MAX_NAME = 64;
    public static final int MAX_CONTENT = 100_000;
    public static final int MAX_DESCRIPTION = 256;
    public static final int MAX_VERSION = 128;
}
