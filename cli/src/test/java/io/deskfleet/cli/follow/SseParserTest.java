package io.deskfleet.cli.follow;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {

    private static List<SseEvent> parse(String... lines) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void namedEventsAreDispatchedAtTheBlankLine() {
        List<SseEvent> events = parse("event: task", "data: {\"id\":\"t1\"}", "", "event: end",
                "data: {\"status\":\"SUCCESS\"}", "");
        assertEquals(List.of(new SseEvent("task", "{\"id\":\"t1\"}"), new SseEvent("end", "{\"status\":\"SUCCESS\"}")),
                events);
    }

    @Test
    void anEventIsNotDispatchedBeforeItsBlankLine() {
        assertEquals(List.of(), parse("event: record", "data: {}"));
    }

    @Test
    void commentsAndKeepAlivesAreIgnoredEvenInsideAnEvent() {
        assertEquals(List.of(new SseEvent("record", "{}")),
                parse(": keep-alive", "", "event: record", ": keep-alive", "data: {}", ""));
    }

    @Test
    void dataLinesAreJoinedWithNewlines() {
        assertEquals(List.of(new SseEvent("task", "a\nb")), parse("event: task", "data: a", "data: b", ""));
    }

    @Test
    void onlyOneLeadingSpaceIsStrippedAndNoSpaceIsNeeded() {
        assertEquals(List.of(new SseEvent("task", " x"), new SseEvent("end", "y")),
                parse("event:task", "data:  x", "", "event:end", "data:y", ""));
    }

    @Test
    void anEventWithoutDataIsDroppedAndItsTypeDoesNotLeakIntoTheNext() {
        assertEquals(List.of(new SseEvent("message", "{}")), parse("event: task", "", "data: {}", ""));
    }

    @Test
    void idRetryAndUnknownFieldsAreIgnored() {
        assertEquals(List.of(new SseEvent("end", "{}")),
                parse("id: 7", "retry: 1000", "colour: red", "event: end", "data: {}", ""));
    }

    @Test
    void aDataFieldWithoutColonIsAnEmptyLineOfData() {
        assertEquals(List.of(new SseEvent("message", "\n")), parse("data", "data", ""));
    }

    @Test
    void consecutiveBlankLinesDispatchNothingMore() {
        assertEquals(1, parse("data: 1", "", "", "", "").size());
    }
}
