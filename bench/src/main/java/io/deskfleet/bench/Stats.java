package io.deskfleet.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics over a handful of measurements. */
public final class Stats {
    private Stats() {
    }

    /** The middle value; for an even count, the mean of the two middle values. */
    public static double median(List<Double> values) {
        double[] sorted = sorted(values);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * Nearest-rank percentile: the smallest value with at least p% of the values at or below it, so p99 of 200
     * samples is the 198th smallest and every reported figure is one that was actually measured.
     */
    public static double percentile(List<Double> values, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        double[] sorted = sorted(values);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[rank - 1];
    }

    private static double[] sorted(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
