package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.inventory.CreatePoolRequest;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.refusal.Refusal;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Desktop pools, over {@link PoolRepository}: refuses a duplicate name and a missing pool in the domain's words;
 * {@link PoolController} shows them as the API's records.
 */
@Singleton
public class PoolStore {
    private final PoolRepository repository;
    private final Clock clock;

    PoolStore(PoolRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** A page of the project's pools and how many it has in all. */
    public record PoolPage(long totalCount, List<PoolView> pools) {
    }

    /**
     * @return the new pool, with no desktops yet
     * @throws io.deskfleet.controlplane.refusal.Refused already exists when the project has a pool of that name
     */
    public PoolView create(String projectId, CreatePoolRequest request) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        try {
            repository.save(new PoolRow(id, projectId, request.name(), request.description(), request.type(), now));
        } catch (DataAccessException e) {
            if (Database.isUniqueViolation(e)) {
                throw Refusal.alreadyExists("A desktop pool named '" + request.name()
                        + "' already exists in this project.").asException();
            }
            throw e;
        }
        return new PoolView(id, request.name(), request.description(), request.type(), now, 0, 0);
    }

    public PoolPage list(String projectId, Page page) {
        return new PoolPage(repository.countByProjectId(projectId),
                repository.page(projectId, page.limit(), page.offset()));
    }

    /** @throws io.deskfleet.controlplane.refusal.Refused not found when the project has no such pool */
    public PoolView get(String projectId, String poolId) {
        return repository.find(projectId, poolId).orElseThrow(() -> Refusal.notFound("Desktop pool " + poolId
                + " does not exist.").asException());
    }

    /** True when the project has this pool; no counts are computed. */
    boolean exists(String projectId, String poolId) {
        return repository.existsByProjectIdAndId(projectId, poolId);
    }
}
