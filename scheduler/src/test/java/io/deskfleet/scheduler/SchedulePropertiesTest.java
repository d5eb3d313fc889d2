package io.deskfleet.scheduler;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;


import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of clock schedules over random rules, zones (with 30- and 60-minute DST, a skipped day and midnight
 * transitions) and instants. The rule oracle below re-reads the raw contract strings independently of the parser.
 */
class SchedulePropertiesTest {
    private static final List<String> ZONES = List.of("UTC", "Asia/Shanghai", "America/New_York", "Europe/London",
            "Australia/Lord_Howe", "America/Santiago", "America/Havana", "Pacific/Apia", "Asia/Kolkata");
    private static final long FROM_2000 = 946_684_800L;
    private static final long TO_2060 = 2_840_140_800L;
    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** A random clock schedule (DAY always has a scheduled_date, so no anchor is needed) and an instant to ask after. */
    record Case(ScheduleSpec spec, Instant after) {
        @Override
        public String toString() {
            return spec + " after " + after;
        }

        Schedule schedule() {
            return ScheduleParser.parseStored(spec, Instant.EPOCH);
        }

        ZoneId zone() {
            return ZoneId.of(spec.timeZone());
        }

        LocalTime time() {
            return LocalTime.parse(spec.scheduledTime());
        }

        /** Whether the rule fires on {@code date}, read from the raw strings. */
        boolean firesOn(LocalDate date) {
            return switch (spec.scheduledType()) {
                case "FIXED_TIME" -> date.equals(LocalDate.parse(spec.scheduledDate()));
                case "DAY" -> {
                    LocalDate anchorDate = LocalDate.parse(spec.scheduledDate());
                    yield !date.isBefore(anchorDate) && ChronoUnit.DAYS.between(anchorDate, date) % spec.dayInterval() == 0;
                }
                case "WEEK" -> numbers(spec.weekList()).contains(date.getDayOfWeek() == DayOfWeek.SUNDAY ? "1"
                        : String.valueOf(date.getDayOfWeek().getValue() + 1));
                case "MONTH" -> numbers(spec.monthList()).contains(String.valueOf(date.getMonthValue()))
                        && (numbers(spec.dateList()).contains(String.valueOf(date.getDayOfMonth()))
                        || (numbers(spec.dateList()).contains("L") && date.getDayOfMonth() == date.lengthOfMonth()));
                default -> throw new IllegalStateException(spec.scheduledType());
            };
        }

        private static Set<String> numbers(String list) {
            return Arrays.stream(list.split(",")).collect(Collectors.toSet());
        }

        /** The one instant the rule's date fires at, or empty if the date does not fire. */
        Optional<Instant> fireOn(LocalDate date) {
            return firesOn(date) ? Optional.of(ScheduleTimes.toInstant(LocalDateTime.of(date, time()), zone())) : Optional.empty();
        }
    }

    /**
     * Random cases from a fixed seed, so a failure names a case that reproduces on every run. Half of the instants
     * fall in the days before one of the zone's offset transitions, where DST bugs live.
     */
    static Stream<Case> cases() {
        Random random = new Random(0x5EED_2026L);
        return IntStream.range(0, 500).mapToObj(i -> randomCase(random));
    }

    private static Case randomCase(Random random) {
        String type = pick(random, List.of("FIXED_TIME", "DAY", "WEEK", "MONTH"));
        LocalTime time = random.nextBoolean()
                ? LocalTime.ofSecondOfDay(random.nextInt(86_400))
                // Around midnight and the usual transition hours.
                : pick(random, List.of(LocalTime.MIDNIGHT, LocalTime.of(0, 30), LocalTime.of(1, 0), LocalTime.of(1, 30),
                        LocalTime.of(2, 0), LocalTime.of(2, 15), LocalTime.of(2, 30), LocalTime.of(23, 30)));
        LocalDate date = LocalDate.ofEpochDay(between(random, FROM_2000, TO_2060) / 86_400);
        int interval = 1 + random.nextInt(31);
        String weeks = join(randomSet(random, 1, 7, 7));
        String months = join(randomSet(random, 1, 12, 4));
        String days = randomSet(random, 0, 31, 4).stream().map(d -> d == 0 ? "L" : String.valueOf(d))
                .collect(Collectors.joining(","));
        String zone = pick(random, ZONES);
        ScheduleSpec spec = new ScheduleSpec(type, interval, weeks, months, days, date.toString(),
                time.format(HH_MM_SS), null, null, zone);
        Instant anywhere = Instant.ofEpochSecond(between(random, FROM_2000, TO_2060));
        Instant after = anywhere;
        if (random.nextBoolean()) {
            ZoneOffsetTransition transition = ZoneId.of(zone).getRules().nextTransition(anywhere);
            after = transition == null ? anywhere : transition.getInstant().minusSeconds(between(random, 0, 3 * 86_400));
        }
        return new Case(spec, after);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static long between(Random random, long min, long max) {
        return min + (long) (random.nextDouble() * (max - min + 1));
    }

    private static Set<Integer> randomSet(Random random, int min, int max, int maxSize) {
        int size = 1 + random.nextInt(maxSize);
        Set<Integer> values = new TreeSet<>();
        while (values.size() < size) {
            values.add(min + random.nextInt(max - min + 1));
        }
        return values;
    }

    private static String join(Set<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void nextFireIsStrictlyAfterTheGivenInstant(Case c) {
        Instant from = c.after();
        c.schedule().nextFireAfter(from).ifPresent(fire -> assertTrue(fire.isAfter(from), fire + " <= " + from));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void nextFiresAreStrictlyIncreasingAndStartWithTheNextFire(Case c) {
        Schedule schedule = c.schedule();
        Instant from = c.after();
        List<Instant> fires = schedule.nextFires(from, 12);

        assertEquals(schedule.nextFireAfter(from), fires.stream().findFirst());
        for (int i = 1; i < fires.size(); i++) {
            assertTrue(fires.get(i).isAfter(fires.get(i - 1)), fires.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyFireIsTheResolvedLocalTimeOfAFiringDate(Case c) {
        ZoneId zone = c.zone();
        for (Instant fire : c.schedule().nextFires(c.after(), 12)) {
            LocalDateTime local = fire.atZone(zone).toLocalDateTime();
            if (local.toLocalTime().equals(c.time())) {
                assertTrue(c.firesOn(local.toLocalDate()), "fired on a date the rule excludes: " + local);
                List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
                // In an overlap the fire is the earlier of the two occurrences.
                assertEquals(offsets.stream().map(local::toInstant).min(Comparator.naturalOrder()).orElseThrow(), fire);
            } else {
                // Only a local time skipped by a gap may fire at another wall-clock time: the gap's end.
                LocalDate gapDay = IntStream.rangeClosed(0, 1).mapToObj(back -> local.toLocalDate().minusDays(back))
                        .filter(day -> c.firesOn(day) && zone.getRules().getValidOffsets(LocalDateTime.of(day, c.time())).isEmpty())
                        .findFirst().orElseThrow(() -> new AssertionError("fire at " + local + " is neither the rule's time nor a gap end"));
                assertEquals(zone.getRules().getTransition(LocalDateTime.of(gapDay, c.time())).getInstant(), fire);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void noFiringDateIsSkippedOrFiredTwice(Case c) {
        Instant from = c.after();
        List<Instant> fires = c.schedule().nextFires(from, 8);
        LocalDate firstDay = from.atZone(c.zone()).toLocalDate().minusDays(2);
        // With fewer fires the schedule has ended: also check the 9 years in which any satisfiable rule fires again.
        LocalDate lastFireDay = fires.isEmpty() ? firstDay : fires.get(fires.size() - 1).atZone(c.zone()).toLocalDate();
        LocalDate lastDay = fires.size() == 8 || lastFireDay.isAfter(firstDay.plusYears(9)) ? lastFireDay : firstDay.plusYears(9);
        List<Instant> expected = firstDay.datesUntil(lastDay.plusDays(1))
                .map(c::fireOn).flatMap(Optional::stream)
                .filter(fire -> fire.isAfter(from))
                .limit(8)
                .toList();

        assertEquals(expected, fires);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void expiryCutsTheSequenceWithoutChangingIt(Case c) {
        long expireAfter = Math.floorMod(c.after().getEpochSecond() * 31, 400L * 86_400);
        Instant from = c.after();
        ZoneId zone = c.zone();
        String expireText = ScheduleTimes.format(from.plusSeconds(expireAfter), zone);
        ScheduleSpec s = c.spec();
        Schedule expiring = ScheduleParser.parseStored(new ScheduleSpec(s.scheduledType(), s.dayInterval(), s.weekList(),
                s.monthList(), s.dateList(), s.scheduledDate(), s.scheduledTime(), expireText, null, s.timeZone()), Instant.EPOCH);
        Instant expireAt = expiring.expireAt().orElseThrow();

        List<Instant> unbounded = c.schedule().nextFires(from, 30);
        List<Instant> bounded = expiring.nextFires(from, 30);

        bounded.forEach(fire -> assertTrue(fire.isBefore(expireAt), fire + " is not before " + expireAt));
        assertEquals(unbounded.stream().filter(fire -> fire.isBefore(expireAt)).toList(), bounded);
    }
}
