package io.deskfleet.agent.execution;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
                .setStatus(InvocationStatus.INVOCATION_STATUS_EXITED).setOutput("out").build();
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
        assertEquals(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, interrupted.getStatus());
        assertEquals(42, interrupted.getFinishedAtUnixMs());
        // Spooled: a second recovery (another crash before the ack) reports the same result, not a new one.
        assertEquals(pending.size(), new InvocationJournal(stateDir).recover(99).size());
        assertTrue(new InvocationJournal(stateDir).recover(99).contains(interrupted));
    }

    @Test
    void aPidFileACrashLeftEmptyOrGarbledDoesNotStopRecovery() throws IOException {
        InvocationJournal journal = new InvocationJournal(stateDir);
        journal.markStarted("empty-pid");
        Files.write(stateDir.resolve("invocations/empty-pid/pid"), new byte[0]);
        journal.markStarted("garbled-pid");
        Files.writeString(stateDir.resolve("invocations/garbled-pid/pid"), "12");

        List<InvocationResult> pending = new InvocationJournal(stateDir).recover(9);

        assertEquals(List.of("empty-pid", "garbled-pid"),
                pending.stream().map(InvocationResult::getInvocationId).sorted().toList());
        assertTrue(pending.stream().allMatch(r -> r.getStatus() == InvocationStatus.INVOCATION_STATUS_INTERRUPTED), pending::toString);
    }

    @Test
    void markersAndSpooledResultsAreOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        InvocationJournal journal = new InvocationJournal(stateDir);
        journal.markStarted("private");
        journal.spool(InvocationResult.newBuilder().setInvocationId("private").setOutput("secret").build());

        for (String file : List.of("started", "result.pb")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(stateDir.resolve("invocations/private/" + file))), file);
        }
    }

    @Test
    void recoveryKillsTheProcessACrashedAgentLeftButNotOneThatMerelyReusedItsPid() throws Exception {
        InvocationJournal journal = new InvocationJournal(stateDir);
        Process left = new ProcessBuilder("sleep", "300").start();
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            journal.markStarted("left");
            journal.recordProcess("left", left.toHandle());
            journal.markStarted("reused");
            // The pid is alive, but its process started a minute after the one recorded: it got the number later.
            long start = unrelated.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            Files.writeString(stateDir.resolve("invocations/reused/pid"), unrelated.pid() + " " + (start - 60_000));

            List<InvocationResult> pending = new InvocationJournal(stateDir).recover(7);

            assertEquals(2, pending.size());
            assertTrue(left.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the leftover is killed");
            assertTrue(unrelated.isAlive(), "a process that reused the pid is left alone");
        } finally {
            left.destroyForcibly();
            unrelated.destroyForcibly();
        }
    }

    @Test
    void scratchIsRemovedWhetherTheWorkDirIsEmptyOrNot() throws IOException {
        InvocationJournal journal = new InvocationJournal(stateDir);
        journal.markStarted("empty");
        Files.writeString(journal.scriptFile("empty", ".sh"), "true");
        Files.createDirectories(journal.workDir("empty"));
        journal.markStarted("full");
        Files.writeString(journal.scriptFile("full", ".sh"), "true");
        Files.createDirectories(journal.workDir("full").resolve("a/b"));
        Files.writeString(journal.workDir("full").resolve("a/b/file"), "left by the script");

        journal.deleteScratch("empty");
        journal.deleteScratch("full");

        for (String id : List.of("empty", "full")) {
            assertFalse(Files.exists(journal.scriptFile(id, ".sh")), id);
            assertFalse(Files.exists(journal.workDir(id)), id);
            assertTrue(journal.isKnown(id), "the marker stays: " + id);
        }
    }
}
