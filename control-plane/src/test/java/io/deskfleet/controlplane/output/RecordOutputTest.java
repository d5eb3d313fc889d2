package io.deskfleet.controlplane.output;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of one record's stored output: contiguous appends within the cap, gaps asked for, results settled. */
class RecordOutputTest {

    private static RecordOutput fresh(long cap) {
        return new RecordOutput("r", "p", "t", "d", cap, 0, false, false, false);
    }

    @Test
    void overlapsAreTrimmedDuplicatesIgnoredGapsAskedForOnce() {
        RecordOutput out = fresh(100);
        assertEquals(RecordOutput.Take.NEW, out.accept(0, bytes("abcd"), 0).take());
        RecordOutput.Accepted overlap = out.accept(2, bytes("cdef"), 0);
        assertEquals(4, overlap.offset());
        assertArrayEquals(bytes("ef"), overlap.data());
        assertEquals(RecordOutput.Take.DUPLICATE, out.accept(0, bytes("ab"), 0).take());
        assertEquals(RecordOutput.Take.GAP, out.accept(10, bytes("x"), 0).take());
        assertTrue(out.takeRequest());
        assertFalse(out.takeRequest(), "one request per gap");
        assertEquals(6, out.stored());
    }

    @Test
    void theCapCutsAndMarksTruncated() {
        RecordOutput out = fresh(5);
        assertArrayEquals(bytes("abcde"), out.accept(0, bytes("abcdefg"), 0).data());
        assertTrue(out.isTruncated());
        out.resultSays(7, false, 0);
        assertTrue(out.isComplete(), "everything up to the cap is stored");
    }

    @Test
    void aResultWaitsForItsBytesThenSettles() {
        RecordOutput out = fresh(100);
        out.accept(0, bytes("abc"), 0);
        out.resultSays(6, false, 0);
        assertTrue(out.isAwaited());
        assertFalse(out.isComplete());
        out.accept(3, bytes("def"), 1);
        assertTrue(out.settleIfStored());
        assertFalse(out.isTruncated());
    }

    @Test
    void aStalledResultIsAskedAgainAfterPatienceAndCanBeGivenUp() {
        RecordOutput out = fresh(100);
        out.resultSays(6, false, 0);
        assertFalse(out.retry(4, 5));
        assertTrue(out.retry(5, 5));
        assertEquals(1, out.fruitlessRequests());
        out.settleShort();
        assertTrue(out.isComplete() && out.isTruncated());
    }

    @Test
    void anUncutExcerptCompletesTheOutput() {
        RecordOutput out = fresh(100);
        out.accept(0, bytes("ab"), 0);
        assertArrayEquals(bytes("cd"), out.completeWithExcerpt(bytes("abcd"), false));
        assertTrue(out.isComplete());
        assertEquals(RecordOutput.Take.CLOSED, out.accept(4, bytes("e"), 0).take());
    }

    @Test
    void eventsAreCutOnWholeCharacters() {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        byte[] text = {'a', e[0]};
        assertEquals(1, Utf8Cut.boundary(text, 2));
        assertEquals(3, Utf8Cut.boundary(new byte[]{'a', e[0], e[1]}, 3));
    }

    @Test
    void rangesFollowRfc9110() {
        assertEquals(new ByteRange.Part(0, 10), ByteRange.parse("bytes=0-9", 100));
        assertEquals(new ByteRange.Part(90, 100), ByteRange.parse("bytes=-10", 100));
        assertEquals(new ByteRange.Part(50, 100), ByteRange.parse("bytes=50-", 100));
        assertEquals(new ByteRange.Part(50, 100), ByteRange.parse("bytes=50-500", 100));
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.parse("bytes=100-", 100));
        assertEquals(new ByteRange.Unsatisfiable(), ByteRange.parse("bytes=-0", 100));
        assertEquals(new ByteRange.Whole(), ByteRange.parse("bytes=0-1,5-6", 100));
        assertEquals(new ByteRange.Whole(), ByteRange.parse("items=0-1", 100));
        assertEquals(new ByteRange.Whole(), ByteRange.parse("bytes=9-2", 100));
        assertEquals(new ByteRange.Whole(), ByteRange.parse(null, 100));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
