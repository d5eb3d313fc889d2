package io.deskfleet.bench;

import io.deskfleet.bench.swarm.CommandArrival;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where one fan-out's time goes, from the simulated agents' side: when the POST was answered, when the gray batch's
 * first command arrived, when the first command after the gray batch arrived and when the last one did. The rest,
 * to the terminal answer, is the last results being stored and counted.
 */
final class FanOutPhases implements Consumer<CommandArrival> {
    private final int grayCount;
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong afterGray = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private final List<double[]> runs = new ArrayList<>();
    private volatile int expected;

    FanOutPhases(int grayCount) {
        this.grayCount = grayCount;
    }

    /** Starts counting a run of n commands. */
    void reset(int n) {
        expected = n;
        arrived.set(0);
        first.set(0);
        afterGray.set(0);
        last.set(0);
    }

    @Override
    public void accept(CommandArrival arrival) {
        int count = arrived.incrementAndGet();
        if (count == 1) {
            first.set(arrival.arrivedNanos());
        }
        if (count == grayCount + 1) {
            afterGray.set(arrival.arrivedNanos());
        }
        if (count == expected) {
            last.set(arrival.arrivedNanos());
        }
    }

    /** Keeps the run's phases, in seconds from before the POST. */
    void record(long postedAt, long answeredAt) {
        runs.add(new double[]{seconds(postedAt, answeredAt), seconds(postedAt, first.get()),
                seconds(postedAt, afterGray.get()), seconds(postedAt, last.get())});
    }

    void report(Report report, String prefix) {
        String[] names = {"POST answered (task and its records stored)", "first gray command arrived",
                "first command after the gray batch arrived", "last command arrived"};
        for (int phase = 0; phase < names.length; phase++) {
            List<Double> values = new ArrayList<>();
            for (double[] run : runs) {
                values.add(run[phase]);
            }
            report.add(prefix + names[phase] + ", s after the POST, median (runs: " + values.stream()
                    .map(v -> String.format(Locale.ROOT, "%.3f", v)).toList() + ")",
                    String.format(Locale.ROOT, "%.3f", Stats.median(values)));
        }
    }

    private static double seconds(long from, long to) {
        return to == 0 ? Double.NaN : (to - from) / 1e9;
    }
}
