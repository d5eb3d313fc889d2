package io.deskfleet.controlplane.live;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that does not read is dropped once its queue is full; what it had queued is still delivered. */
class EventStreamTest {

    /** Subscribes without requesting anything, as a connection whose socket is full. */
    private static final class StalledClient implements Subscriber<byte[]> {
        final List<String> received = new ArrayList<>();
        final AtomicBoolean completed = new AtomicBoolean();
        final AtomicReference<Subscription> subscription = new AtomicReference<>();

        @Override
        public void onSubscribe(Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(byte[] frame) {
            received.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void onComplete() {
            completed.set(true);
        }
    }

    @Test
    void aClientThatFallsTooFarBehindIsDroppedAfterItsQueue() {
        List<EventStream> closed = new ArrayList<>();
        EventStream stream = new EventStream(3, 1024, closed::add);
        StalledClient client = new StalledClient();
        stream.flux().subscribe(client);

        for (int i = 0; i < 3; i++) {
            assertTrue(stream.send(EventStream.frame("task", "{\"n\":" + i + "}")), "frame " + i + " fits");
        }
        assertFalse(stream.send(EventStream.frame("task", "{\"n\":3}")), "the fourth overflows");
        assertTrue(stream.isClosed());
        assertFalse(stream.send(EventStream.KEEP_ALIVE), "nothing more once dropped");

        client.subscription.get().request(Long.MAX_VALUE);
        assertEquals(List.of("event: task\ndata: {\"n\":0}\n\n", "event: task\ndata: {\"n\":1}\n\n",
                "event: task\ndata: {\"n\":2}\n\n"), client.received);
        assertTrue(client.completed.get(), "the stream ends so the client reconnects");
        assertEquals(List.of(stream), closed, "the hub is told once");
    }

    @Test
    void bytesAreBoundedTooAndASnapshotMayExceedTheBound() {
        EventStream stream = new EventStream(100, 40, s -> { });
        StalledClient client = new StalledClient();
        stream.flux().subscribe(client);
        byte[] big = EventStream.frame("record", "{\"output\":\"" + "x".repeat(30) + "\"}");
        stream.allowSnapshot(1, big.length);
        assertTrue(stream.send(big), "the snapshot is sent whatever its size");
        assertTrue(stream.send(EventStream.KEEP_ALIVE), "small frames still fit within the bound beyond it");
        assertFalse(stream.send(big), "but not another big one");
    }

    @Test
    void frameDeliveredFreesItsRoom() {
        EventStream stream = new EventStream(1, 1024, s -> { });
        StalledClient client = new StalledClient();
        stream.flux().subscribe(client);
        for (int i = 0; i < 10; i++) {
            assertTrue(stream.send(EventStream.KEEP_ALIVE), "frame " + i);
            client.subscription.get().request(1);
        }
        assertEquals(10, client.received.size());
        assertFalse(stream.isClosed());
    }

    @Test
    void keepAliveOnlyWhenIdle() {
        EventStream stream = new EventStream(100, 1024, s -> { });
        StalledClient client = new StalledClient();
        stream.flux().subscribe(client);
        client.subscription.get().request(Long.MAX_VALUE);
        long now = System.nanoTime();
        stream.keepAliveIfIdle(Long.MAX_VALUE, now);
        assertEquals(List.of(), client.received, "not idle long enough");
        stream.keepAliveIfIdle(0, now + 1);
        assertEquals(List.of(": keep-alive\n\n"), client.received);
    }
}
