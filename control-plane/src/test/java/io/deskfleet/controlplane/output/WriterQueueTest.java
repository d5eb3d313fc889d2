package io.deskfleet.controlplane.output;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's inbox: the output it holds, queued or being written, never exceeds its bound. */
class WriterQueueTest {

    @Test
    void chunksBeyondTheBoundAreRefusedUntilTheBatchHoldingThemIsReleased() throws Exception {
        WriterQueue<String> queue = new WriterQueue<>(10, 100);
        assertTrue(queue.offer("a", 6));
        assertTrue(queue.offer("b", 4));
        assertFalse(queue.offer("c", 1), "10 of 10 bytes held");

        WriterQueue.Batch<String> batch = queue.take(0);
        assertEquals(List.of("a", "b"), batch.items());
        assertFalse(queue.offer("c", 1), "a batch taken but not written still holds its bytes");

        queue.release(batch);
        assertEquals(0, queue.heldBytes());
        assertTrue(queue.offer("c", 10));
    }

    @Test
    void itemsWithoutBytesAreNeverRefused() {
        WriterQueue<String> queue = new WriterQueue<>(4, 100);
        assertTrue(queue.offer("chunk", 4));
        assertTrue(queue.offer("result", 0));
        assertEquals(4, queue.heldBytes());
    }

    @Test
    void batchesKeepArrivalOrderAndStopAtTheirSizeButTakeAtLeastOneItem() throws Exception {
        WriterQueue<String> queue = new WriterQueue<>(1000, 10);
        queue.offer("big", 25);
        queue.offer("a", 4);
        queue.offer("result", 0);
        queue.offer("b", 6);
        queue.offer("c", 1);

        assertEquals(new WriterQueue.Batch<>(List.of("big"), 25), queue.take(0), "larger than a batch: alone");
        assertEquals(new WriterQueue.Batch<>(List.of("a", "result", "b"), 10), queue.take(0));
        assertEquals(new WriterQueue.Batch<>(List.of("c"), 1), queue.take(0));
        assertEquals(new WriterQueue.Batch<>(List.of(), 0), queue.take(0));
        assertEquals(36, queue.heldBytes(), "nothing released yet");
    }

    @Test
    void closedAndEmptyIsDrained() throws Exception {
        WriterQueue<String> queue = new WriterQueue<>(10, 10);
        queue.offer("a", 1);
        queue.close();
        assertFalse(queue.isDrained(), "what was queued before closing is still written");
        queue.take(1000);
        assertTrue(queue.isDrained());
    }
}
