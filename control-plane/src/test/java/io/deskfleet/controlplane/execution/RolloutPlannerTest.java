package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.api.execution.RolloutPlanResponse;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Refused;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RolloutPlannerTest {
    private static final List<String> TEN = ids(10);

    static List<String> ids(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("d%02d", i)).toList();
    }

    private static List<List<String>> desktops(RolloutPlan plan) {
        return plan.batches().stream().map(RolloutPlan.Batch::desktopIds).toList();
    }

    private static List<ExecuteOrder> orders(RolloutPlan plan) {
        return plan.batches().stream().map(RolloutPlan.Batch::order).toList();
    }

    @Test
    void withoutGrayEverythingIsOneDefaultBatch() {
        RolloutPlan plan = RolloutPlanner.plan(TEN, new GraySpec.None(), MaxConcurrency.UNLIMITED);
        assertEquals(List.of(TEN), desktops(plan));
        assertEquals(List.of(ExecuteOrder.DEFAULT), orders(plan));
        assertFalse(plan.hasGrayBatch());
        assertEquals(0, plan.grayFailThreshold());
    }

    @Test
    void grayCountTakesTheFirstTargets() {
        RolloutPlan plan = RolloutPlanner.plan(TEN, new GraySpec.Count(3, 2), MaxConcurrency.UNLIMITED);
        assertEquals(List.of(TEN.subList(0, 3), TEN.subList(3, 10)), desktops(plan));
        assertEquals(List.of(ExecuteOrder.GRAY, ExecuteOrder.NON_GRAY), orders(plan));
        assertEquals(2, plan.grayFailThreshold());
    }

    @Test
    void grayCountTakesOnlineDesktopsFirstAndOfflineOnesGoLast() {
        RolloutPlan plan = RolloutPlanner.plan(ids(6), Set.of("d01", "d03"), new GraySpec.Count(2, 1),
                MaxConcurrency.parse("2"));
        assertEquals(List.of(List.of("d02", "d04"), List.of("d05", "d06"), List.of("d01", "d03")), desktops(plan));
        assertEquals(ExecuteOrder.GRAY, orders(plan).get(0));

        // Too few online for the gray count: the gray batch still has its size, online ones first.
        RolloutPlan few = RolloutPlanner.plan(ids(3), Set.of("d01", "d02"), new GraySpec.Count(2, 2),
                MaxConcurrency.UNLIMITED);
        assertEquals(List.of(List.of("d03", "d01"), List.of("d02")), desktops(few));
    }

    @Test
    void explicitGrayDesktopsAreKeptWhetherOnlineOrNot() {
        RolloutPlan plan = RolloutPlanner.plan(ids(4), Set.of("d01"),
                new GraySpec.Desktops("gray_desktop_ids", List.of("d01"), 1), MaxConcurrency.UNLIMITED);
        assertEquals(List.of(List.of("d01"), List.of("d02", "d03", "d04")), desktops(plan));
    }

    @Test
    void grayCountLargerThanTheTargetsIsClampedAndTheThresholdRechecked() {
        RolloutPlan plan = RolloutPlanner.plan(ids(3), new GraySpec.Count(50, 3), MaxConcurrency.UNLIMITED);
        assertEquals(List.of(ids(3)), desktops(plan));
        assertEquals(List.of(ExecuteOrder.GRAY), orders(plan));

        Refused e = assertThrows(Refused.class,
                () -> RolloutPlanner.plan(ids(3), new GraySpec.Count(50, 5), MaxConcurrency.UNLIMITED));
        assertEquals("gray_fail_threshold: 5 exceeds the gray batch size 3", e.getMessage());
    }

    @Test
    void grayDesktopIdsKeepTheTargetOrder() {
        RolloutPlan plan = RolloutPlanner.plan(TEN,
                new GraySpec.Desktops("gray_desktop_ids", List.of("d07", "d02"), 1), MaxConcurrency.UNLIMITED);
        assertEquals(List.of("d02", "d07"), plan.batches().get(0).desktopIds());
        assertEquals(List.of("d01", "d03", "d04", "d05", "d06", "d08", "d09", "d10"),
                plan.batches().get(1).desktopIds());
    }

    @Test
    void grayDesktopIdsOutsideTheTargetsAreListed() {
        Refused e = assertThrows(Refused.class, () -> RolloutPlanner.plan(TEN,
                new GraySpec.Desktops("gray_resource_ids", List.of("d01", "x1", "x2"), 1), MaxConcurrency.UNLIMITED));
        assertEquals(Refusal.Reason.INVALID_ARGUMENT, e.refusal().reason());
        assertEquals("gray_resource_ids: not among the target desktops: x1, x2", e.getMessage());
    }

    @Test
    void maxConcurrencyCountSplitsTheNonGrayPart() {
        RolloutPlan plan = RolloutPlanner.plan(TEN, new GraySpec.Count(2, 1), MaxConcurrency.parse("3"));
        assertEquals(List.of(TEN.subList(0, 2), TEN.subList(2, 5), TEN.subList(5, 8), TEN.subList(8, 10)),
                desktops(plan));
        assertEquals(List.of(ExecuteOrder.GRAY, ExecuteOrder.NON_GRAY, ExecuteOrder.NON_GRAY, ExecuteOrder.NON_GRAY),
                orders(plan));
    }

    @Test
    void maxConcurrencyPercentIsOfTheNonGrayPartAndAtLeastOne() {
        RolloutPlan quarter = RolloutPlanner.plan(ids(100), new GraySpec.Count(20, 1), MaxConcurrency.parse("25%"));
        assertEquals(List.of(20, 20, 20, 20, 20), quarter.batches().stream().map(b -> b.desktopIds().size()).toList(),
                "25% of the 80 non-gray desktops is 20 per batch");
        RolloutPlan tiny = RolloutPlanner.plan(ids(3), new GraySpec.None(), MaxConcurrency.parse("10%"));
        assertEquals(List.of(List.of("d01"), List.of("d02"), List.of("d03")), desktops(tiny));
        assertEquals(List.of(ExecuteOrder.DEFAULT, ExecuteOrder.DEFAULT, ExecuteOrder.DEFAULT), orders(tiny));
    }

    @Test
    void noTargetsIsABadRequest() {
        Refused e = assertThrows(Refused.class,
                () -> RolloutPlanner.plan(List.of(), new GraySpec.None(), MaxConcurrency.UNLIMITED));
        assertEquals(Refusal.Reason.INVALID_ARGUMENT, e.refusal().reason());
    }

    @Test
    void dryRunResponseShowsTheBatches() {
        RolloutPlanResponse response = ExecutionController.planResponse(
                RolloutPlanner.plan(ids(3), new GraySpec.Count(1, 1), MaxConcurrency.UNLIMITED), 0);
        assertEquals(new RolloutPlanResponse(3, 0, 1, List.of(new RolloutPlanResponse.Batch(1, List.of("d01")),
                new RolloutPlanResponse.Batch(2, List.of("d02", "d03")))), response);
        assertEquals(null, ExecutionController.planResponse(
                RolloutPlanner.plan(ids(2), new GraySpec.None(), MaxConcurrency.UNLIMITED), 0).grayFailThreshold());
    }
}
