package io.deskfleet.controlplane.execution;

import io.deskfleet.api.execution.GraySpec;
import io.deskfleet.api.execution.MaxConcurrency;
import io.deskfleet.controlplane.refusal.Refusal;
import io.deskfleet.controlplane.refusal.Subset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Splits resolved target desktops into the batches of a rollout. Pure and O(targets). */
public final class RolloutPlanner {

    private RolloutPlanner() {
    }

    /** Plans as if every target were online. */
    public static RolloutPlan plan(List<String> targets, GraySpec gray, MaxConcurrency maxConcurrency) {
        return plan(targets, Set.of(), gray, maxConcurrency);
    }

    /**
     * Online desktops go first: a gray batch chosen by gray_count takes online ones (offline ones only when too few
     * are online), and offline ones fill the last batches, so an offline desktop neither decides the canary nor
     * holds up the first batches while it may still come back. Explicit gray desktop ids are kept as given.
     *
     * @param targets the resolved desktops, without duplicates, in a deterministic order chosen by the caller (e.g.
     *                by desktop id), which the online and the offline ones each keep
     * @param offline the targets whose agent is not connected now
     * @throws io.deskfleet.controlplane.refusal.Refused an invalid argument when there are no targets, gray desktop ids are not among the targets, or the fail
     *                      threshold exceeds the gray batch (after a gray_count larger than the targets is clamped)
     */
    public static RolloutPlan plan(List<String> targets, Set<String> offline, GraySpec gray,
                                   MaxConcurrency maxConcurrency) {
        if (targets.isEmpty()) {
            throw Refusal.invalid("no target desktops: the request selects no desktop").asException();
        }
        Set<String> targetSet = new HashSet<>(targets);
        if (targetSet.size() != targets.size()) {
            throw new IllegalArgumentException("targets contain duplicates");
        }
        targets = onlineFirst(targets, offline);
        List<RolloutPlan.Batch> batches = new ArrayList<>();
        List<String> nonGray;
        int threshold;
        if (gray instanceof GraySpec.Count count) {
            int size = Math.min(count.count(), targets.size());
            checkThreshold(count.failThreshold(), size);
            batches.add(new RolloutPlan.Batch(ExecuteOrder.GRAY, targets.subList(0, size)));
            nonGray = targets.subList(size, targets.size());
            threshold = count.failThreshold();
        } else if (gray instanceof GraySpec.Desktops desktops) {
            Subset.require(desktops.field(), desktops.desktopIds(), targetSet, "not among the target desktops");
            Set<String> graySet = new HashSet<>(desktops.desktopIds());
            List<String> grayBatch = new ArrayList<>(graySet.size());
            nonGray = new ArrayList<>(targets.size() - graySet.size());
            for (String id : targets) {
                (graySet.contains(id) ? grayBatch : nonGray).add(id);
            }
            checkThreshold(desktops.failThreshold(), grayBatch.size());
            batches.add(new RolloutPlan.Batch(ExecuteOrder.GRAY, grayBatch));
            threshold = desktops.failThreshold();
        } else {
            nonGray = targets;
            threshold = 0;
        }
        ExecuteOrder order = batches.isEmpty() ? ExecuteOrder.DEFAULT : ExecuteOrder.NON_GRAY;
        if (!nonGray.isEmpty()) {
            int size = maxConcurrency.batchSize(nonGray.size());
            for (int from = 0; from < nonGray.size(); from += size) {
                batches.add(new RolloutPlan.Batch(order, nonGray.subList(from, Math.min(from + size, nonGray.size()))));
            }
        }
        return new RolloutPlan(targets.size(), threshold, batches);
    }

    private static List<String> onlineFirst(List<String> targets, Set<String> offline) {
        if (offline.isEmpty()) {
            return targets;
        }
        List<String> ordered = new ArrayList<>(targets.size());
        targets.stream().filter(id -> !offline.contains(id)).forEach(ordered::add);
        targets.stream().filter(offline::contains).forEach(ordered::add);
        return ordered;
    }

    private static void checkThreshold(int threshold, int graySize) {
        if (threshold > graySize) {
            throw Refusal.invalid("gray_fail_threshold: " + threshold + " exceeds the gray batch size " + graySize)
                    .asException();
        }
    }
}
