package io.deskfleet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GcLogTest {
    @Test
    void theLargestHeapLeftByAnyCollectionAndByFullOnes() {
        String log = """
                [0.005s][info][gc] Using G1
                [0.574s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 8.196ms
                [0.988s][info][gc] GC(6) Pause Young (Concurrent Start) (G1 Evacuation Pause) 41M->39M(64M) 3.759ms
                [0.988s][info][gc] GC(7) Concurrent Mark Cycle
                [1.000s][info][gc] GC(7) Pause Remark 45M->45M(64M) 1.001ms
                [1.200s][info][gc] GC(8) Pause Full (System.gc()) 50M->12M(64M) 20.000ms
                [1.300s][info][gc] GC(7) Concurrent Mark Cycle 310.000ms
                """;

        assertEquals(new GcLog.Collections(4, 1, 45, 12), GcLog.parse(log));
    }

    @Test
    void noCollectionsIsZeros() {
        assertEquals(new GcLog.Collections(0, 0, 0, 0), GcLog.parse("[0.005s][info][gc] Using G1\n"));
    }
}
