package io.deskfleet.controlplane.inventory;

import io.deskfleet.api.common.Page;
import io.deskfleet.api.inventory.CreatePoolRequest;
import io.deskfleet.api.inventory.DesktopPool;
import io.deskfleet.api.inventory.DesktopPoolList;
import io.deskfleet.api.inventory.PoolDesktopList;
import io.deskfleet.controlplane.db.Times;
import io.deskfleet.controlplane.web.openapi.ApiErrors;
import io.deskfleet.controlplane.web.openapi.ConflictError;
import io.deskfleet.controlplane.web.openapi.NotFoundError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@SecurityRequirement(name = "X-Auth-Token") // documents AuthFilter
@Tag(name = "pools")
@ApiErrors
@Controller("/v2/{project_id}/desktop-pools")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PoolController {
    /** Pools are always steady: Deskfleet does not provision desktops, agents bring their own. */
    static final String STATUS = "STEADY";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final PoolStore pools;
    private final DesktopStore desktops;

    public PoolController(PoolStore pools, DesktopStore desktops) {
        this.pools = pools;
        this.desktops = desktops;
    }

    @Operation(operationId = "createDesktopPool", summary = "Create a desktop pool")
    @ConflictError
    @Post
    public DesktopPool create(@PathVariable("project_id") String projectId, @Body CreatePoolRequest request) {
        request.validate();
        return pool(pools.create(projectId, request));
    }

    @Operation(operationId = "listDesktopPools", summary = "List desktop pools")
    @Get
    public DesktopPoolList list(@PathVariable("project_id") String projectId,
                                @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit) {
        PoolStore.PoolPage page = pools.list(projectId, Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT));
        return new DesktopPoolList(page.totalCount(), page.pools().stream().map(PoolController::pool).toList());
    }

    @Operation(operationId = "showDesktopPoolDetail", summary = "Show a desktop pool")
    @NotFoundError
    @Get("/{pool_id}")
    public DesktopPool get(@PathVariable("project_id") String projectId, @PathVariable("pool_id") String poolId) {
        return pool(pools.get(projectId, poolId));
    }

    @Operation(operationId = "listPoolDesktopsDetail", summary = "List a pool's desktops")
    @NotFoundError
    @Get("/{pool_id}/desktops")
    public PoolDesktopList desktops(@PathVariable("project_id") String projectId,
                                    @PathVariable("pool_id") String poolId,
                                    @QueryValue @Nullable Integer offset, @QueryValue @Nullable Integer limit) {
        pools.get(projectId, poolId);
        DesktopStore.DesktopPage page = desktops.find(new DesktopQuery(projectId, null, poolId, null, null),
                Page.of(offset, limit, DEFAULT_LIMIT, MAX_LIMIT));
        return new PoolDesktopList(page.totalCount(), page.desktops());
    }

    private static DesktopPool pool(PoolView p) {
        return new DesktopPool(p.id(), p.name(), p.description(), p.type(), STATUS, p.desktops(), p.online(),
                Times.iso(p.createdAt()));
    }
}
