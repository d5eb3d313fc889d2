package io.deskfleet.api.execution;

import io.deskfleet.api.script.ScriptType;

import java.util.List;

/** What runs on each desktop: stored scripts in order, or one inline command. */
public sealed interface ExecutionPayload {

    TaskType taskType();

    /** Steps per desktop; a desktop runs them in order and stops at the first that does not succeed. */
    int stepCount();

    record Scripts(List<String> scriptIds) implements ExecutionPayload {
        public Scripts {
            scriptIds = List.copyOf(scriptIds);
        }

        @Override
        public TaskType taskType() {
            return TaskType.SCRIPT;
        }

        @Override
        public int stepCount() {
            return scriptIds.size();
        }
    }

    record Command(ScriptType type, String content) implements ExecutionPayload {
        @Override
        public TaskType taskType() {
            return TaskType.COMMAND;
        }

        @Override
        public int stepCount() {
            return 1;
        }
    }
}
