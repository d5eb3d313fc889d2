package io.deskfleet.agent.execution;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvocationJournalTest {
    @TempDir
    Path stateDir;

    @Test
    void anIdThatLooksLikeAPathStaysInsideTheStateDir() throws IOException {
        InvocationJournal journal = new InvocationJournal(stateDir);
        journal.markStarted("../../escape");

        assertTrue(journal.isKnown("../../escape"));
        assertFalse(journal.isKnown("escape"));
        try (Stream<Path> all = Files.walk(stateDir.getParent(), 1)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().equals("escape")));
        }
        try (Stream<Path> dirs = Files.list(stateDir.resolve("invocations"))) {
            assertEquals(1, dirs.count());
        }
    }

    @Test
    void recoveryReturnsSpooledResultsAndInterruptsWhatWasRunningButSkipsAcked() throws IOException {
        InvocationJournal journal = new InvocationJournal(stateDir);
        journal.markStarted("done");
        InvocationResult done = InvocationResult.newBuilder().setInvocationId("done")
                .setStatus(InvocationStatus.EXITED).setOutput("out").build();
        journal.spool(done);
        journal.markStarted("acked");
        journal.spool(InvocationResult.newBuilder().setInvocationId("acked").build());
        journal.acknowledge("acked");
        journal.markStarted("was/running");

        List<InvocationResult> pending = new InvocationJournal(stateDir).recover(42);

        assertEquals(2, pending.size());
        assertTrue(pending.contains(done));
        InvocationResult interrupted = pending.stream()
                .filter(r -> r.getInvocationId().equals("was/running")).findFirst().orElseThrow();
        assertEquals(InvocationStatus.INTERRUPTED, interrupted.getStatus());
        assertEquals(42, interrupted.getFinishedAtUnixMs());
        // Spooled: a second recovery (another crash before the ack) reports the same result, not a new one.
        assertEquals(pending.size(), new InvocationJournal(stateDir).recover(99).size());
        assertTrue(new InvocationJournal(stateDir).recover(99).contains(interrupted));
    }
}
