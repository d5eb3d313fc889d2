package io.deskfleet.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatsTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        assertEquals(2.5, Stats.median(List.of(9.0, 2.5, 1.0)));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(3.0, Stats.median(List.of(4.0, 1.0, 2.0, 10.0)));
    }

    @Test
    void percentilesUseTheNearestRank() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values);

        assertEquals(100.0, Stats.percentile(values, 50));
        assertEquals(198.0, Stats.percentile(values, 99));
        assertEquals(200.0, Stats.percentile(values, 100));
        assertEquals(7.0, Stats.percentile(List.of(7.0), 99));
    }

    @Test
    void noValuesOrAPercentileOutsideTheRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), 0));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), 101));
    }
}
