package io.deskfleet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemoryProbeTest {
    @Test
    void heapUsedIsTheSumOfTheUsedSpacesOfJstatGc() {
        String jstat = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT  \s
                 0.0   2048.0  0.0   1500.5  30720.0   1024.0   229376.0    40000.0  51200.0 50000.0 6400.0 6000.0     12    0.050   1      0.100     4    0.010    0.160
                """;

        assertEquals(42_525, MemoryProbe.heapUsedKb(jstat));
    }

    @Test
    void rssComesFromTheVmRssLine() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  312456 kB\nThreads:\t40\n";

        assertEquals(312_456, MemoryProbe.rssKb(status));
    }

    @Test
    void outputWithoutTheExpectedColumnsIsRefused() {
        assertThrows(IllegalStateException.class, () -> MemoryProbe.heapUsedKb("Timestamp\n1.0\n"));
    }
}
