package io.deskfleet.scheduler.trigger;

import io.deskfleet.scheduler.InvalidFieldException;
import io.deskfleet.scheduler.LifeCycleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.deskfleet.scheduler.LifeCycleType.POST_CREATE_DESKTOP_SUCCESS;
import static io.deskfleet.scheduler.LifeCycleType.POST_DESKTOP_DISCONNECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TriggerSelectorTest {
    private static final Instant EVENT_TIME = Instant.parse("2026-04-01T10:00:00Z");
    private static final LifeCycleEvent CREATED = new LifeCycleEvent(POST_CREATE_DESKTOP_SUCCESS, "desk-1", "pool-a",
            Map.of("env", "prod", "team", "a=b"), EVENT_TIME);

    private static TriggeredTask task(String id, int priority, int waitTime, ApplyObject... objects) {
        return new TriggeredTask(id, true, POST_CREATE_DESKTOP_SUCCESS, priority, waitTime, List.of(objects));
    }

    private static ApplyObject object(ApplyObjectType type, String id) {
        return new ApplyObject(type, id);
    }

    private static List<String> selectedIds(LifeCycleEvent event, TriggeredTask... candidates) {
        return TriggerSelector.select(event, List.of(candidates)).stream().map(fire -> fire.task().id()).toList();
    }

    @Test
    void eachApplyObjectTypeMatchesItsDesktops() {
        List<String> selected = selectedIds(CREATED,
                task("by-desktop", 1, 0, object(ApplyObjectType.DESKTOP, "desk-1")),
                task("other-desktop", 1, 0, object(ApplyObjectType.DESKTOP, "desk-2")),
                task("by-pool", 1, 0, object(ApplyObjectType.DESKTOP_POOL, "pool-a")),
                task("other-pool", 1, 0, object(ApplyObjectType.DESKTOP_POOL, "pool-b")),
                task("all", 1, 0, object(ApplyObjectType.ALL_DESKTOPS, null)),
                task("by-tag", 1, 0, object(ApplyObjectType.DESKTOP_TAG, "env=prod")),
                task("tag-value-with-equals", 1, 0, object(ApplyObjectType.DESKTOP_TAG, "team=a=b")),
                task("other-tag-value", 1, 0, object(ApplyObjectType.DESKTOP_TAG, "env=dev")),
                task("tag-case-differs", 1, 0, object(ApplyObjectType.DESKTOP_TAG, "env=Prod")),
                task("no-objects", 1, 0));

        assertEquals(List.of("all", "by-desktop", "by-pool", "by-tag", "tag-value-with-equals"), selected);
    }

    @Test
    void desktopOutsideAnyPoolMatchesNoPoolObject() {
        LifeCycleEvent poolless = new LifeCycleEvent(POST_CREATE_DESKTOP_SUCCESS, "desk-9", null, Map.of(), EVENT_TIME);

        assertEquals(List.of("all"), selectedIds(poolless,
                task("by-pool", 1, 0, object(ApplyObjectType.DESKTOP_POOL, "pool-a")),
                task("all", 1, 0, object(ApplyObjectType.ALL_DESKTOPS, null))));
    }

    @Test
    void disabledTasksAndOtherLifeCycleTypesAreNotSelected() {
        ApplyObject all = object(ApplyObjectType.ALL_DESKTOPS, null);
        TriggeredTask disabled = new TriggeredTask("disabled", false, POST_CREATE_DESKTOP_SUCCESS, 1, 0, List.of(all));
        TriggeredTask onDisconnect = new TriggeredTask("disconnect", true, POST_DESKTOP_DISCONNECTED, 1, 0, List.of(all));

        assertEquals(List.of(), selectedIds(CREATED, disabled, onDisconnect));
        assertEquals(List.of("disconnect"), selectedIds(new LifeCycleEvent(POST_DESKTOP_DISCONNECTED, "desk-1",
                "pool-a", Map.of(), EVENT_TIME), disabled, onDisconnect));
    }

    @Test
    void priorityOneComesFirstAndTiesAreOrderedByTaskId() {
        ApplyObject all = object(ApplyObjectType.ALL_DESKTOPS, null);

        List<String> selected = selectedIds(CREATED,
                task("t-50", 50, 0, all), task("t-b", 7, 0, all), task("t-1", 1, 0, all), task("t-a", 7, 0, all));

        assertEquals(List.of("t-1", "t-a", "t-b", "t-50"), selected);
    }

    @Test
    void eachTaskFiresOnceAtTheEventTimePlusItsWaitTime() {
        TriggeredTask twoMatches = task("twice", 3, 43_200,
                object(ApplyObjectType.DESKTOP, "desk-1"), object(ApplyObjectType.DESKTOP_POOL, "pool-a"));
        TriggeredTask immediate = task("now", 4, 0, object(ApplyObjectType.ALL_DESKTOPS, null));

        List<TriggeredFire> fires = TriggerSelector.select(CREATED, List.of(immediate, twoMatches));

        assertEquals(List.of(new TriggeredFire(twoMatches, Instant.parse("2026-04-01T22:00:00Z")),
                new TriggeredFire(immediate, EVENT_TIME)), fires);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 51, -3})
    void priorityOutsideOneToFiftyIsRefused(int priority) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> new TriggeredTask("t", true, POST_CREATE_DESKTOP_SUCCESS, priority, 0, List.of()));

        assertEquals("priority", e.field());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 43_201})
    void waitTimeOutsideZeroToTwelveHoursIsRefused(int waitTime) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> new TriggeredTask("t", true, LifeCycleType.POST_REBUILD_DESKTOP_SUCCESS, 1, waitTime, List.of()));

        assertEquals("wait_time", e.field());
    }
}
