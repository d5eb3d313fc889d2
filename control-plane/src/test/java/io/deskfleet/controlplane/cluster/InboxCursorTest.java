package io.deskfleet.controlplane.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the owner's next inbox read starts, when writers on several replicas commit rows out of id order. */
class InboxCursorTest {

    @Test
    void rowsCommittedBelowTheCursorAreReadOnTheHintThatNamesThem() {
        InboxCursor cursor = new InboxCursor();
        // cp3 committed rows 200-299 first; cp2's 100-199, allocated earlier, commit after.
        cursor.hinted(200);
        assertEquals(0, cursor.start());
        cursor.passed(299);
        assertEquals(299, cursor.start(), "no hint since: only newer rows");
        cursor.hinted(100);
        assertEquals(99, cursor.start(), "cp2's hint names its first row: the read starts there");
        cursor.passed(199);
        cursor.passed(299);
        assertEquals(299, cursor.start());
    }

    @Test
    void theLowestOfSeveralHintsWinsAndAHintAboveTheCursorMovesNothing() {
        InboxCursor cursor = new InboxCursor();
        cursor.passed(500);
        cursor.hinted(600);
        assertEquals(500, cursor.start(), "rows above the cursor are read anyway");
        cursor.hinted(450);
        cursor.hinted(300);
        cursor.hinted(480);
        assertEquals(299, cursor.start());
    }

    @Test
    void everyFifthSweepAndEveryTakeOverReadFromTheBeginning() {
        InboxCursor cursor = new InboxCursor();
        cursor.passed(700);
        for (int sweep = 1; sweep < InboxCursor.FULL_READ_EVERY; sweep++) {
            cursor.swept();
            assertFalse(cursor.startsOver(), "sweep " + sweep);
            assertEquals(700, cursor.start(), "sweep " + sweep);
        }
        cursor.swept();
        assertTrue(cursor.startsOver(), "a lost hint is found by the full read");
        assertEquals(0, cursor.start());
        cursor.passed(800);
        cursor.readEverything();
        assertTrue(cursor.startsOver(), "rows of a task taken over lie below the cursor");
        assertEquals(0, cursor.start());
        assertFalse(cursor.startsOver(), "one full pass per request");
        assertEquals(0, cursor.start(), "until a row is read the cursor stays");
    }
}
