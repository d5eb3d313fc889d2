package io.deskfleet.agent.logging;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StderrLoggerFinderTest {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    @Test
    void theTimeIsWrittenAsTheLogReadersParseIt() {
        for (LocalDateTime time : List.of(LocalDateTime.of(2026, 1, 31, 12, 0, 0, 7_000_000),
                LocalDateTime.of(2026, 12, 6, 23, 59, 59, 999_999_999), LocalDateTime.of(2027, 10, 1, 0, 9, 5, 40_500_000))) {
            StringBuilder line = new StringBuilder();
            StderrLoggerFinder.appendTime(line, time);
            assertEquals(LOG_TIME.format(time), line.toString());
        }
    }
}
