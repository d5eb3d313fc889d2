package io.deskfleet.controlplane.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How publishAll packs items into NOTIFY payloads, which PostgreSQL refuses from 8000 bytes on. */
class ClusterBusTest {

    @Test
    void nothingGivesNoPayloadAndAFewItemsOne() {
        assertEquals(List.of(), ClusterBus.pack(List.of()));
        assertEquals(List.of("a\nb\nc"), ClusterBus.pack(List.of("a", "b", "c")));
    }

    /** Thousands of ids (multi-byte ones among them) come out in order, each once, every payload under the limit. */
    @Test
    void manyItemsAreSplitUnderTheLimitInOrderAndNoneLost() {
        List<String> items = IntStream.range(0, 3000)
                .mapToObj(i -> (i % 7 == 0 ? "dësktop-" : "desktop-") + "0f3c9a2e-" + i).toList();
        List<String> payloads = ClusterBus.pack(items);

        assertTrue(payloads.size() > 1, "more than one payload's worth: " + payloads.size());
        payloads.forEach(p -> assertTrue(p.getBytes(StandardCharsets.UTF_8).length < 8000,
                "payload of " + p.getBytes(StandardCharsets.UTF_8).length + " bytes"));
        List<String> unpacked = new ArrayList<>();
        payloads.forEach(p -> unpacked.addAll(Arrays.asList(p.split("\n"))));
        assertEquals(items, unpacked);
    }

    @Test
    void itemsThatFillAPayloadExactlyDoNotSpillOver() {
        // 79 items of 99 bytes and their newlines make 7900 bytes: one payload; one more item starts a second
        String item = "x".repeat(99);
        List<String> full = java.util.Collections.nCopies(79, item);
        assertEquals(1, ClusterBus.pack(full).size());
        List<String> oneMore = new ArrayList<>(full);
        oneMore.add("last");
        assertEquals(List.of(String.join("\n", full), "last"), ClusterBus.pack(oneMore));
    }
}
