package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.ExecutionRecord;
import io.deskfleet.bench.swarm.ExecutionLedger;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakAuditTest {

    @Test
    void everyResultStoredOnceIsClean() {
        ExecutionLedger ledger = new ExecutionLedger();
        ran(ledger, "a", 0);
        ran(ledger, "b", 3);
        ledger.redelivered();
        // c never reached its desktop: UNDELIVERABLE is its honest ending, not a loss.
        SoakAudit audit = SoakAudit.of(ledger, List.of(record("a", "SUCCESS"), record("b", "FAILED"),
                record("c", "UNDELIVERABLE")), 0);

        assertTrue(audit.clean(), audit.toString());
        assertEquals(3, audit.records());
        assertEquals(2, audit.executed());
        assertEquals(Map.of("FAILED", 1L, "SUCCESS", 1L, "UNDELIVERABLE", 1L), audit.byStatus());
    }

    @Test
    void aRecordNeverTerminalIsLost() {
        ExecutionLedger ledger = new ExecutionLedger();
        ran(ledger, "a", 0);
        SoakAudit audit = SoakAudit.of(ledger, List.of(record("a", "RUNNING"), record("b", "WAITING")), 0);

        assertEquals(2, audit.lost());
        assertEquals(2, audit.neverTerminal());
        assertEquals(0, audit.notStored());
        assertFalse(audit.clean());
    }

    @Test
    void aResultSentButNotWhatTheRecordHoldsIsLost() {
        ExecutionLedger ledger = new ExecutionLedger();
        ran(ledger, "timed-out", 0);
        ran(ledger, "wrong-status", 0);
        ran(ledger, "no-record", 0);
        SoakAudit audit = SoakAudit.of(ledger, List.of(record("timed-out", "TIMEOUT"),
                record("wrong-status", "FAILED")), 0);

        assertEquals(3, audit.lost());
        assertEquals(3, audit.notStored());
        assertEquals(0, audit.neverTerminal());
    }

    @Test
    void anInvocationExecutedTwiceIsDoubledOnce() {
        ExecutionLedger ledger = new ExecutionLedger();
        ran(ledger, "a", 0);
        ledger.executed("a");
        ledger.executed("a");
        ran(ledger, "b", 0);
        SoakAudit audit = SoakAudit.of(ledger, List.of(record("a", "SUCCESS"), record("b", "SUCCESS")), 0);

        assertEquals(1, audit.doubled());
        assertEquals(0, audit.lost());
        assertFalse(audit.clean());
    }

    @Test
    void stuckTasksMakeItUnclean() {
        SoakAudit audit = SoakAudit.of(new ExecutionLedger(), List.of(), 2);
        assertEquals(2, audit.stuck());
        assertFalse(audit.clean());
    }

    @Test
    void aRunStillWithoutResultIsNotCountedAsNotStored() {
        ExecutionLedger ledger = new ExecutionLedger();
        ledger.executed("a");
        SoakAudit audit = SoakAudit.of(ledger, List.of(record("a", "TIMEOUT")), 0);
        assertEquals(0, audit.lost());
    }

    private static void ran(ExecutionLedger ledger, String id, int exitCode) {
        ledger.executed(id);
        ledger.resultSent(id, exitCode);
    }

    private static ExecutionRecord record(String id, String status) {
        return new ExecutionRecord(id, status);
    }
}
