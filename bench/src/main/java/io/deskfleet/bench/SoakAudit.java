package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.ExecutionRecord;
import io.deskfleet.bench.swarm.ExecutionLedger;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The soak's verdict: what the control plane stored against what the swarm really did.
 *
 * @param lost          records never terminal, plus invocations whose result the swarm sent but whose record does
 *                      not hold it (another status, or no record at all); each invocation counted once
 * @param neverTerminal of lost: records still WAITING or RUNNING
 * @param notStored     of lost: a result was sent, yet the record is terminal with another status or missing
 * @param doubled       invocation ids the swarm executed more than once (on one agent or several)
 * @param stuck         tasks not terminal when the wait for them ended
 * @param byStatus      records per stored status
 */
record SoakAudit(long records, long executed, long lost, long neverTerminal, long notStored, long doubled,
                 long stuck, Map<String, Long> byStatus) {
    private static final Set<String> NOT_TERMINAL = Set.of("WAITING", "RUNNING");

    static SoakAudit of(ExecutionLedger ledger, List<ExecutionRecord> records, long tasksNotTerminal) {
        Map<String, Long> byStatus = new TreeMap<>();
        Set<String> recorded = new HashSet<>();
        long neverTerminal = 0;
        long notStored = 0;
        for (ExecutionRecord record : records) {
            byStatus.merge(record.status(), 1L, Long::sum);
            recorded.add(record.id());
            Integer sent = ledger.sentExitCode(record.id());
            if (NOT_TERMINAL.contains(record.status())) {
                neverTerminal++;
            } else if (sent != null && !record.status().equals(expectedStatus(sent))) {
                notStored++;
            }
        }
        long doubled = 0;
        long executed = 0;
        for (String id : ledger.invocationIds()) {
            int runs = ledger.executions(id);
            executed += runs > 0 ? 1 : 0;
            doubled += runs > 1 ? 1 : 0;
            if (!recorded.contains(id) && ledger.sentExitCode(id) != null) {
                notStored++;
            }
        }
        return new SoakAudit(records.size(), executed, neverTerminal + notStored, neverTerminal, notStored, doubled,
                tasksNotTerminal, byStatus);
    }

    /** The record status a result with this exit code must leave. */
    static String expectedStatus(int exitCode) {
        return exitCode == 0 ? "SUCCESS" : "FAILED";
    }

    boolean clean() {
        return lost == 0 && doubled == 0 && stuck == 0;
    }
}
