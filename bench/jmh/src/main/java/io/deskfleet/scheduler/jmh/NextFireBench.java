package io.deskfleet.scheduler.jmh;

import io.deskfleet.scheduler.Schedule;
import io.deskfleet.scheduler.ScheduleParser;
import io.deskfleet.scheduler.ScheduleSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Schedule#nextFireAfter} over a mix of DAY, WEEK and MONTH schedules (MONTH date lists with L) in zones with
 * and without daylight saving: what the schedule poller computes after every fire. Result per schedule.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NextFireBench {
    static final int SCHEDULES = 1_000;
    private static final List<String> ZONES = List.of("UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney",
            "Asia/Shanghai", "Asia/Kolkata", "America/Sao_Paulo");

    private Schedule[] schedules;
    private Instant now;

    @Setup
    public void setUp() {
        now = Instant.parse("2030-03-30T22:15:00Z");
        Instant anchor = Instant.parse("2030-01-01T00:00:00Z");
        schedules = new Schedule[SCHEDULES];
        for (int i = 0; i < SCHEDULES; i++) {
            String zone = ZONES.get(i % ZONES.size());
            String time = String.format("%02d:%02d:00", i % 24, (i * 7) % 60);
            ScheduleSpec spec = switch (i % 3) {
                case 0 -> new ScheduleSpec("DAY", 1 + i % 7, null, null, null, null, time, null, null, zone);
                case 1 -> new ScheduleSpec("WEEK", null, i % 2 == 0 ? "2,4,6" : "1,7", null, null, null, time, null,
                        null, zone);
                default -> new ScheduleSpec("MONTH", null, null, i % 2 == 0 ? "1,4,7,10" : "2,3,5,8,11,12",
                        i % 2 == 0 ? "1,15,L" : "31", null, time, null, null, zone);
            };
            schedules[i] = ScheduleParser.parseStored(spec, anchor);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SCHEDULES)
    public void nextFireAfter(Blackhole out) {
        for (Schedule schedule : schedules) {
            out.consume(schedule.nextFireAfter(now));
        }
    }
}
