package io.deskfleet.bench;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    @Test
    void aBaselinesValuesStandBesideThisBuildsRowByRow() {
        Report ours = new Report();
        ours.add("fan-out 10000 agents: POST to terminal, median s", "0.812");
        Report baseline = new Report();
        baseline.add("fan-out 10000 agents: POST to terminal, median s", "0.905");
        Report table = new Report();
        table.add("real agent: VmRSS", "41.0 MiB");

        table.addAll(ours, baseline, "baseline old.jar");
        String markdown = table.markdown(ZonedDateTime.now());

        assertTrue(markdown.contains("| figure | value | load avg | baseline old.jar | load avg |"), markdown);
        assertTrue(markdown.matches("(?s).*\\| fan-out 10000 agents: POST to terminal, median s \\| 0\\.812 \\| [^|]+ "
                + "\\| 0\\.905 \\| [^|]+ \\|\n.*"), markdown);
        assertTrue(markdown.matches("(?s).*\\| real agent: VmRSS \\| 41\\.0 MiB \\| [^|]+ \\|  \\|  \\|\n.*"), markdown);
    }

    @Test
    void withoutABaselineTheTableKeepsThreeColumns() {
        Report ours = new Report();
        ours.add("dispatch latency p50", "2.1 ms");
        Report table = new Report();

        table.addAll(ours, null, null);
        String markdown = table.markdown(ZonedDateTime.now());

        assertTrue(markdown.contains("| figure | value | load avg |\n"), markdown);
        assertFalse(markdown.contains("baseline"), markdown);
    }

    @Test
    void aBaselineWithOtherRowsIsAnError() {
        Report ours = new Report();
        ours.add("a", "1");

        assertThrows(IllegalStateException.class, () -> new Report().addAll(ours, new Report(), "baseline"));
    }
}
