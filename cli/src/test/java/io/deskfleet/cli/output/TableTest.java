package io.deskfleet.cli.output;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableTest {

    @Test
    void columnsAlignAndEmptyCellsShowADash() {
        String text = new Table("ID", "NAME", "N").add("a", "long name", 1).add("bbbb", null, 22).add("c", " ", 3).render();
        assertEquals("""
                ID    NAME       N
                a     long name  1
                bbbb  -          22
                c     -          3
                """, text);
    }

    @Test
    void cellsStayOnOneLineAndAreCut() {
        assertEquals("a b", Table.cell("a\r\nb", Table.MAX_CELL));
        String cut = Table.cell("y".repeat(100), Table.MAX_CELL);
        assertEquals(Table.MAX_CELL, cut.length());
    }

    @Test
    void aRowMustFillEveryColumn() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").add("only one"));
    }

    @Test
    void aWholeTableKeepsEveryCellButCutsItsLastColumnAtTheGivenWidth() {
        String id = "6f0e2a34-0000-4000-8000-000000000000-0000000000000001";
        String reason = "r".repeat(100);
        String onTerminal = Table.whole(80, "ID", "REASON").add(id, reason).render();
        assertEquals(id + "  " + "r".repeat(77) + "...", onTerminal.lines().toList().get(1));
        String inPipe = Table.whole(null, "ID", "REASON").add(id, reason).render();
        assertEquals(id + "  " + reason, inPipe.lines().toList().get(1));
    }
}
