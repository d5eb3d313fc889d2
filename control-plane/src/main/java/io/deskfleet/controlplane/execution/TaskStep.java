package io.deskfleet.controlplane.execution;

import io.deskfleet.api.script.ScriptType;

/** What one step of a task runs: a copy of a script (scriptId set) or the inline command (scriptId null). */
public record TaskStep(int index, String scriptId, String scriptName, ScriptType type, String content) {
}
