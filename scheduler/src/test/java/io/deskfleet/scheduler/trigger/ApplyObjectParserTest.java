package io.deskfleet.scheduler.trigger;

import io.deskfleet.scheduler.InvalidFieldException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplyObjectParserTest {

    private static void assertRefused(ApplyObjectSpec bad, String field, String messagePart) {
        List<ApplyObjectSpec> specs = List.of(new ApplyObjectSpec("DESKTOP", "desk-1"), bad);
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ApplyObjectParser.parse(specs));
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void parsesEveryObjectTypeInOrder() {
        List<ApplyObject> objects = ApplyObjectParser.parse(List.of(
                new ApplyObjectSpec("DESKTOP", "desk-1"),
                new ApplyObjectSpec("DESKTOP_POOL", "pool-a"),
                new ApplyObjectSpec("ALL_DESKTOPS", null),
                new ApplyObjectSpec("DESKTOP_TAG", "env=")));

        assertEquals(List.of(new ApplyObject(ApplyObjectType.DESKTOP, "desk-1"),
                new ApplyObject(ApplyObjectType.DESKTOP_POOL, "pool-a"),
                new ApplyObject(ApplyObjectType.ALL_DESKTOPS, null),
                new ApplyObject(ApplyObjectType.DESKTOP_TAG, "env=")), objects);
    }

    @Test
    void idsLongerThanTheirKindAllowsAndTooManyObjectsAreRefused() {
        assertRefused(new ApplyObjectSpec("DESKTOP", "d".repeat(65)), "apply_objects[1].object_id", "longer than 64");
        assertRefused(new ApplyObjectSpec("ALL_DESKTOPS", "x".repeat(100_000)), "apply_objects[1].object_id",
                "longer than 64");
        assertRefused(new ApplyObjectSpec("DESKTOP_TAG", "k=" + "v".repeat(383)), "apply_objects[1].object_id",
                "longer than 384");
        assertEquals(1, ApplyObjectParser.parse(List.of(new ApplyObjectSpec("DESKTOP_TAG",
                "k".repeat(128) + "=" + "v".repeat(255)))).size());
        List<ApplyObjectSpec> many = java.util.Collections.nCopies(201, new ApplyObjectSpec("DESKTOP", "d"));
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> ApplyObjectParser.parse(many));
        assertEquals("apply_objects", e.field());
        assertEquals(200, ApplyObjectParser.parse(many.subList(0, 200)).size());
    }

    @Test
    void absentListIsEmpty() {
        assertEquals(List.of(), ApplyObjectParser.parse(null));
    }

    @Test
    void unknownOrMissingTypeIsRefused() {
        assertRefused(new ApplyObjectSpec("DESKTOP_GROUP", "g"), "apply_objects[1].object_type", "'DESKTOP_GROUP' is unknown");
        assertRefused(new ApplyObjectSpec(null, "g"), "apply_objects[1].object_type", "required");
    }

    @Test
    void missingIdIsRefusedExceptForAllDesktops() {
        assertRefused(new ApplyObjectSpec("DESKTOP", null), "apply_objects[1].object_id", "required when object_type is DESKTOP");
        assertRefused(new ApplyObjectSpec("DESKTOP_POOL", " "), "apply_objects[1].object_id", "required when object_type is DESKTOP_POOL");
        assertRefused(new ApplyObjectSpec("DESKTOP_TAG", ""), "apply_objects[1].object_id", "required when object_type is DESKTOP_TAG");
    }

    @Test
    void malformedTagIsRefused() {
        assertRefused(new ApplyObjectSpec("DESKTOP_TAG", "env"), "apply_objects[1].object_id", "key=value");
        assertRefused(new ApplyObjectSpec("DESKTOP_TAG", "=prod"), "apply_objects[1].object_id", "key=value");
    }

    @Test
    void nullElementIsRefused() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> ApplyObjectParser.parse(Arrays.asList((ApplyObjectSpec) null)));

        assertEquals("apply_objects[0]", e.field());
    }
}
