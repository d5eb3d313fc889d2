package io.deskfleet.agent.execution;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CappedOutputTest {

    @Test
    void keepsEverythingUnderTheCap() {
        CappedOutput output = new CappedOutput(10);
        append(output, "hello ".getBytes(StandardCharsets.UTF_8));
        append(output, "you".getBytes(StandardCharsets.UTF_8));
        assertEquals(new CappedOutput.Captured("hello you", false), output.captured());
    }

    @Test
    void keepsTheFirstBytesAndFlagsTheCut() {
        CappedOutput output = new CappedOutput(4);
        append(output, "abc".getBytes(StandardCharsets.UTF_8));
        append(output, "defgh".getBytes(StandardCharsets.UTF_8));
        assertEquals(new CappedOutput.Captured("abcd", true), output.captured());
    }

    @Test
    void dropsAMultiByteCharacterThatTheCapSplits() {
        CappedOutput output = new CappedOutput(4);
        append(output, "ab\u00e9\u00e9".getBytes(StandardCharsets.UTF_8)); // a b [c3 a9] [c3 a9]
        assertEquals(new CappedOutput.Captured("ab\u00e9", true), output.captured());

        CappedOutput euro = new CappedOutput(3);
        append(euro, "a\u20ac".getBytes(StandardCharsets.UTF_8)); // a [e2 82 ac]: cap cuts after e2 82
        assertEquals(new CappedOutput.Captured("a", true), euro.captured());
    }

    @Test
    void invalidBytesNeverMakeTheTextLongerThanTheCap() {
        CappedOutput output = new CappedOutput(4);
        append(output, new byte[] {(byte) 0xff, (byte) 0xfe, 'a', 'b'});
        CappedOutput.Captured captured = output.captured();
        assertTrue(captured.text().getBytes(StandardCharsets.UTF_8).length <= 4);
        assertTrue(captured.truncated());
        assertFalse(captured.text().isEmpty());
    }

    private static void append(CappedOutput output, byte[] bytes) {
        output.append(bytes, 0, bytes.length);
    }
}
