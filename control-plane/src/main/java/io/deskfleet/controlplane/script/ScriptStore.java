package io.deskfleet.controlplane.script;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.script.ScriptDefinition;
import io.deskfleet.api.script.ScriptDetail;
import io.deskfleet.api.script.ScriptListResponse;
import io.deskfleet.api.script.ScriptSummary;
import io.deskfleet.api.script.ScriptType;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Scripts of a project, over {@link ScriptRepository}: maps rows to API types and turns a missing script into a
 * 404.
 */
@Singleton
public class ScriptStore {
    private final ScriptRepository repository;
    private final Clock clock;

    ScriptStore(ScriptRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public String create(String projectId, ScriptDefinition script) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        repository.save(new ScriptRow(id, projectId, script.name(), script.type(), script.content(),
                script.description(), script.version(), now, now));
        return id;
    }

    /** @throws ApiException 404 when the project has no such script */
    public ScriptDetail get(String projectId, String scriptId) {
        return find(projectId, scriptId).orElseThrow(() -> notFound(scriptId));
    }

    public Optional<ScriptDetail> find(String projectId, String scriptId) {
        return findAll(projectId, List.of(scriptId)).values().stream().findFirst();
    }

    /** The scripts with these ids in the project, keyed by id, in one query; ids the project lacks are absent. */
    public Map<String, ScriptDetail> findAll(String projectId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, ScriptDetail> found = new LinkedHashMap<>();
        for (ScriptRow s : repository.findByProjectIdAndIdIn(projectId, ids)) {
            found.put(s.id(), new ScriptDetail(s.id(), s.name(), s.description(), s.scriptType(), s.scriptVersion(),
                    Times.iso(s.createdAt()), Times.iso(s.updatedAt()), s.content()));
        }
        return found;
    }

    /** @throws ApiException 404 when the project has no such script */
    public void update(String projectId, String scriptId, ScriptDefinition script) {
        if (repository.update(projectId, scriptId, script.name(), script.content(), script.description(),
                script.version(), clock.instant()) == 0) {
            throw notFound(scriptId);
        }
    }

    /** @throws ApiException 404 when the project has no such script */
    public void delete(String projectId, String scriptId) {
        if (repository.deleteByProjectIdAndId(projectId, scriptId) == 0) {
            throw notFound(scriptId);
        }
    }

    public ScriptListResponse list(String projectId, Page page, String id, String name, ScriptType type) {
        // a substring match, as users search by part of a name
        String namePattern = name == null ? null : Database.containing(name.toLowerCase());
        String typeName = type == null ? null : type.name();
        long count = repository.count(projectId, id, namePattern, typeName);
        List<ScriptSummary> scripts = repository.page(projectId, id, namePattern, typeName, page.limit(),
                page.offset()).stream().map(ScriptStore::summary).toList();
        return new ScriptListResponse(count, scripts);
    }

    private static ScriptSummary summary(ScriptListRow s) {
        return new ScriptSummary(s.id(), s.name(), s.description(), s.scriptType(), s.scriptVersion(),
                Times.iso(s.createdAt()), Times.iso(s.updatedAt()));
    }

    private static ApiException notFound(String scriptId) {
        return ApiException.notFound("Script " + scriptId + " does not exist.");
    }
}
