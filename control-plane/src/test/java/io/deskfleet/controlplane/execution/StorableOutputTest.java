package io.deskfleet.controlplane.execution;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class StorableOutputTest {

    @Test
    void nulBecomesTheReplacementCharacterAndOtherTextIsKept() {
        assertEquals("a\uFFFDb\uFFFD", ResultProcessor.storable("a\u0000b\u0000"));
        String plain = "plain output ünïcödé";
        assertSame(plain, ResultProcessor.storable(plain));
    }
}
