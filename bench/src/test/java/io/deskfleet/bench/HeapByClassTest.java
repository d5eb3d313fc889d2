package io.deskfleet.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeapByClassTest {
    private static final String BEFORE = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000         100000  [B (java.base@17.0.15)
               2:            10            400  java.lang.String (java.base@17.0.15)
            Total          1010         100400
            """;
    private static final String AFTER = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          3000         500000  [B (java.base@17.0.15)
               2:           210           8400  java.lang.String (java.base@17.0.15)
               3:           100           4800  io.grpc.netty.shaded.io.netty.channel.DefaultChannelPipeline
            Total          3310         513200
            """;

    @Test
    void theClassesThatGrewMostComeFirstPerAgent() {
        List<HeapByClass.Share> shares = HeapByClass.perAgent(BEFORE, AFTER, 100, 2);

        assertEquals(List.of(new HeapByClass.Share("[B", 4000, 20), new HeapByClass.Share("java.lang.String", 80, 2)),
                shares);
    }
}
