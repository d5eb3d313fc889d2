package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.error.ApiException;
import io.deskfleet.api.error.ErrorCode;
import io.deskfleet.api.inventory.CreatePoolRequest;
import io.deskfleet.api.inventory.DesktopPool;
import io.deskfleet.api.inventory.DesktopPoolList;
import io.deskfleet.controlplane.db.Database;
import io.deskfleet.controlplane.db.Times;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Desktop pools, over {@link PoolRepository}: maps rows to API types, turns a duplicate name into a 409 and a
 * missing pool into a 404.
 */
@Singleton
public class PoolStore {
    /** Pools are always steady: Deskfleet does not provision desktops, agents bring their own. */
    static final String STATUS = "STEADY";

    private final PoolRepository repository;

    PoolStore(PoolRepository repository) {
        this.repository = repository;
    }

    /** @throws ApiException 409 when the project already has a pool of that name */
    public DesktopPool create(String projectId, CreatePoolRequest request) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        try {
            repository.save(new PoolRow(id, projectId, request.name(), request.description(), request.type(), now));
        } catch (DataAccessException e) {
            if (Database.isUniqueViolation(e)) {
                throw new ApiException(ErrorCode.CONFLICT, "A desktop pool named '" + request.name()
                        + "' already exists in this project.");
            }
            throw e;
        }
        return new DesktopPool(id, request.name(), request.description(), request.type(), STATUS, 0, 0,
                Times.iso(now));
    }

    public DesktopPoolList list(String projectId, Page page) {
        long total = repository.countByProjectId(projectId);
        return new DesktopPoolList(total, repository.page(projectId, page.limit(), page.offset()).stream()
                .map(PoolStore::pool).toList());
    }

    public Optional<DesktopPool> find(String projectId, String poolId) {
        return repository.find(projectId, poolId).map(PoolStore::pool);
    }

    /** @throws ApiException 404 when the project has no such pool */
    public DesktopPool get(String projectId, String poolId) {
        return find(projectId, poolId).orElseThrow(() -> ApiException.notFound("Desktop pool " + poolId
                + " does not exist."));
    }

    /** True when the project has this pool; no counts are computed. */
    boolean exists(String projectId, String poolId) {
        return repository.existsByProjectIdAndId(projectId, poolId);
    }

    private static DesktopPool pool(PoolView p) {
        return new DesktopPool(p.id(), p.name(), p.description(), p.type(), STATUS, p.desktops(), p.online(),
                Times.iso(p.createdAt()));
    }
}
