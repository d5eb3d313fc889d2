package io.deskfleet.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {
    private final Durations durations = new Durations();

    @Test
    void readsEachUnit() {
        assertEquals(Duration.ofMillis(500), durations.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), durations.convert("30s"));
        assertEquals(Duration.ofMinutes(5), durations.convert("5m"));
        assertEquals(Duration.ofHours(1), durations.convert(" 1h "));
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"", "5", "m", "-5m", "5 m", "PT5M", "1.5h", "5d"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> durations.convert(bad), bad);
        }
    }
}
