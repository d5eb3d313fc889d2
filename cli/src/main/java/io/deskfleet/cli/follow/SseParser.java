package io.deskfleet.cli.follow;

import java.util.Optional;

/**
 * The text/event-stream format (WHATWG HTML, "event stream interpretation"), one line at a time: {@code event:} and
 * {@code data:} fields accumulate until a blank line dispatches the event; lines starting with ':' (keep-alive) are
 * comments; {@code id:}, {@code retry:} and unknown fields are ignored, as this client neither resumes by id nor
 * lets the server pace its reconnects. Pure code: the caller feeds lines from whatever transport it has.
 */
public final class SseParser {
    private String type = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** Feeds one line without its terminator; returns the event this line completes, if any. */
    public Optional<SseEvent> line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("event")) {
            type = value;
        } else if (field.equals("data")) {
            if (hasData) {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        }
        return Optional.empty();
    }

    private Optional<SseEvent> dispatch() {
        Optional<SseEvent> event = hasData
                ? Optional.of(new SseEvent(type.isEmpty() ? "message" : type, data.toString()))
                : Optional.empty();
        type = "";
        data.setLength(0);
        hasData = false;
        return event;
    }
}
