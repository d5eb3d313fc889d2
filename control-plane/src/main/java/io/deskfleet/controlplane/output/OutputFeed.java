package io.deskfleet.controlplane.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskfleet.controlplane.live.EventStream;
import io.deskfleet.controlplane.live.LiveEvents;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Live output: every byte the {@link OutputWriter} stores, once committed and in offset order, goes out as an
 * {@code output} event to the task's event streams and to the followers of the record's output. Events end on whole
 * UTF-8 characters (a split character waits for its next bytes), so an event's {@code offset} is a byte offset at
 * which a client can resume with {@code GET .../output?follow=true&offset=...} or a Range request.
 * <p>
 * Called on the writer's thread only, so the order of events per record is the order of storage.
 */
@Singleton
class OutputFeed {
    /** Frames and bytes a follower may fall behind (beyond its catch-up) before its stream is ended. */
    static final long MAX_QUEUED_FRAMES = 1024;
    static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    static final int CATCH_UP_BYTES = 64 * 1024;
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final LiveEvents live;
    private final ObjectMapper json;
    /** Per record: where the next event starts, and the bytes held back because they end inside a character. */
    private final Map<String, Published> published = new HashMap<>();
    private final Map<String, Set<Follower>> followers = new ConcurrentHashMap<>();

    OutputFeed(LiveEvents live, ObjectMapper json) {
        this.live = live;
        this.json = json;
    }

    private record Follower(EventStream stream) {
    }

    private static final class Published {
        long next;
        byte[] held = new byte[0];

        Published(long next) {
            this.next = next;
        }
    }

    /** Bytes just stored at {@code offset} (the record's stored end before them). */
    void stored(RecordOutput record, long offset, byte[] data) {
        Published p = published.computeIfAbsent(record.recordId, id -> new Published(offset));
        byte[] all = p.held.length == 0 ? data : concat(p.held, data);
        long start = offset - p.held.length;
        int cut = Utf8Cut.boundary(all, all.length);
        p.held = Arrays.copyOfRange(all, cut, all.length);
        p.next = start + cut;
        if (cut > 0) {
            send(record, start, Arrays.copyOf(all, cut));
        }
    }

    /** The record's output is settled: held bytes go out as they are, followers get {@code end}, state is dropped. */
    void completed(RecordOutput record) {
        Published p = published.remove(record.recordId);
        if (p != null && p.held.length > 0) {
            send(record, p.next, p.held);
        }
        Set<Follower> following = followers.remove(record.recordId);
        if (following != null) {
            byte[] end = end(record.recordId, record.stored(), record.isTruncated());
            for (Follower f : following) {
                f.stream().send(end);
                f.stream().close();
            }
        }
    }

    /** Where a follower that catches up from storage stops reading and the events take over. */
    long catchUpEnd(String recordId, long stored) {
        Published p = published.get(recordId);
        return p == null ? stored : p.next;
    }

    /**
     * A new follower of a record's output from {@code offset}: what is stored from there is sent first (read with
     * {@code read}), then the events; if the output is settled, {@code end} follows at once and the stream closes.
     */
    void follow(String recordId, String desktopId, EventStream stream, long offset, long until, boolean complete,
                boolean truncated, LongFunction<byte[]> read) {
        long at = offset;
        while (at < until && !stream.isClosed()) {
            byte[] piece = read.apply(at);
            if (piece.length == 0) {
                break;
            }
            int cut = at + piece.length < until ? Utf8Cut.boundary(piece, piece.length) : piece.length;
            if (cut == 0) {
                cut = piece.length;
            }
            byte[] frame = EventStream.frame("output", event(recordId, desktopId, at, Arrays.copyOf(piece, cut)));
            stream.allowSnapshot(1, frame.length);
            stream.send(frame);
            at += cut;
        }
        if (complete) {
            byte[] end = end(recordId, until, truncated);
            stream.allowSnapshot(1, end.length);
            stream.send(end);
            stream.close();
            return;
        }
        followers.computeIfAbsent(recordId, id -> ConcurrentHashMap.newKeySet()).add(new Follower(stream));
    }

    /** Called when a follower's stream ends (client gone or dropped). */
    void unfollow(String recordId, EventStream stream) {
        followers.computeIfPresent(recordId, (id, set) -> {
            set.remove(new Follower(stream));
            return set.isEmpty() ? null : set;
        });
    }

    boolean isFollowed(String recordId) {
        return followers.containsKey(recordId);
    }

    /** The writer forgets a record it may see again (its desktop disconnected): events restart where storage is. */
    void forget(String recordId) {
        published.remove(recordId);
    }

    void keepAlive(long nowNanos) {
        followers.values().forEach(set -> set.forEach(f -> f.stream().keepAliveIfIdle(KEEP_ALIVE_NANOS, nowNanos)));
    }

    private void send(RecordOutput record, long offset, byte[] data) {
        live.taskOutput(record.taskId, () -> event(record.recordId, record.desktopId, offset, data));
        Set<Follower> following = followers.get(record.recordId);
        if (following != null) {
            byte[] frame = EventStream.frame("output", event(record.recordId, record.desktopId, offset, data));
            following.removeIf(f -> !f.stream().send(frame));
        }
    }

    private String event(String recordId, String desktopId, long offset, byte[] data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("record_id", recordId);
        event.put("desktop_id", desktopId);
        event.put("offset", offset);
        event.put("bytes", data.length);
        event.put("output", new String(data, StandardCharsets.UTF_8));
        return write(event);
    }

    private byte[] end(String recordId, long outputBytes, boolean truncated) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("record_id", recordId);
        event.put("output_bytes", outputBytes);
        event.put("truncated", truncated);
        return EventStream.frame("end", write(event));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.write(a, 0, a.length);
        out.write(b, 0, b.length);
        return out.toByteArray();
    }
}
