package io.deskfleet.controlplane.refusal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubsetTest {

    @Test
    void idsOutsideTheAllowedAreAnInvalidArgumentListingThem() {
        Subset.require("desktop_ids", List.of("a"), Set.of("a", "b"), "not in the desktop pool");
        List<String> many = IntStream.rangeClosed(1, 25).mapToObj(i -> String.format("d%02d", i)).toList();
        Refused e = assertThrows(Refused.class,
                () -> Subset.require("desktop_ids", many, Set.of(), "not in the desktop pool"));
        assertEquals(Refusal.Reason.INVALID_ARGUMENT, e.refusal().reason());
        assertTrue(e.getMessage().startsWith("desktop_ids: not in the desktop pool: d01, d02"), e.getMessage());
        assertTrue(e.getMessage().endsWith("d20 (and 5 more)"), e.getMessage());
    }
}
