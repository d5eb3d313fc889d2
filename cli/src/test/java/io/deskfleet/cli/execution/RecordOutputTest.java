package io.deskfleet.cli.execution;

import io.deskfleet.api.execution.RecordStatus;
import io.deskfleet.api.execution.ScriptExecutionRecord;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordOutputTest {
    static final Session SESSION = new Session(new ApiClient("http://127.0.0.1:1", "token"), "p1");
    static final ScriptExecutionRecord RECORD = new ScriptExecutionRecord("r1", null, null, "t1", "d1", "desk-1",
            "DESKTOP", null, null, RecordStatus.RUNNING, 0, null, null, null);

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachByteIsPrintedOnceAndInOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordOutput output = new RecordOutput(SESSION, RECORD, null, out);
        output.received(0, utf8("abc"));
        output.received(0, utf8("abc"));
        output.received(2, utf8("cdé"));
        assertFalse(output.continues(10), "a gap must be caught up first");
        output.received(10, utf8("lost"));
        assertTrue(output.continues(5));
        assertEquals("abcdé", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withALabelWholeLinesArePrintedEachAfterTheLabel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordOutput output = new RecordOutput(SESSION, RECORD, "desk-1", out);
        output.received(0, utf8("one\ntw"));
        assertEquals("desk-1 | one\n", out.toString(StandardCharsets.UTF_8), "half a line waits for its end");
        output.received(6, utf8("o\nthree\n"));
        assertEquals("desk-1 | one\ndesk-1 | two\ndesk-1 | three\n", out.toString(StandardCharsets.UTF_8));
    }
}
