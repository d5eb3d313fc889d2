package io.deskfleet.controlplane.execution.payload;

import io.deskfleet.api.execution.ExecutionPayload;
import io.deskfleet.api.execution.TaskType;
import io.deskfleet.api.script.ScriptDetail;
import io.deskfleet.controlplane.execution.TaskStep;
import io.deskfleet.controlplane.refusal.Subset;
import io.deskfleet.controlplane.script.ScriptStore;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Stored scripts (script_ids), one step each, in the order the request lists them. */
@Singleton
public class ScriptsPayload implements PayloadKind<ExecutionPayload.Scripts> {
    private final ScriptStore scripts;

    public ScriptsPayload(ScriptStore scripts) {
        this.scripts = scripts;
    }

    @Override
    public Class<ExecutionPayload.Scripts> payloadType() {
        return ExecutionPayload.Scripts.class;
    }

    @Override
    public TaskType taskType() {
        return TaskType.SCRIPT;
    }

    /** @throws io.deskfleet.controlplane.refusal.Refused an invalid argument listing script ids the project lacks */
    @Override
    public List<TaskStep> steps(String projectId, ExecutionPayload.Scripts payload) {
        List<String> ids = payload.scriptIds();
        Map<String, ScriptDetail> found = scripts.findAll(projectId, ids);
        Subset.require("script_ids", ids, found.keySet(), "no such script");
        List<TaskStep> steps = new ArrayList<>(ids.size());
        for (String id : ids) {
            ScriptDetail script = found.get(id);
            steps.add(new TaskStep(steps.size(), id, script.name(), script.type(), script.content()));
        }
        return steps;
    }

    @Override
    public Shown shown(List<TaskStep> steps) {
        return Shown.scripts(steps);
    }
}
