package io.deskfleet.agent;

import io.deskfleet.agent.execution.InvocationJournal;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.CancelCommand;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandExecutionTest extends InProcessAgentTest {

    @Test
    void exitCodeAndOutputAreReported() throws IOException {
        startConnected(1);
        controlPlane.send(shell("inv-exit", "echo hi; exit 3"));

        InvocationResult result = controlPlane.awaitResult("inv-exit");
        assertEquals(InvocationStatus.INVOCATION_STATUS_EXITED, result.getStatus());
        assertEquals(3, result.getExitCode());
        assertEquals("hi\n", result.getOutput());
        assertFalse(result.getOutputTruncated());
        assertTrue(result.getStartedAtUnixMs() > 0 && result.getStartedAtUnixMs() <= result.getFinishedAtUnixMs());
        // Over before the first live report: the result alone says it all.
        assertEquals(List.of(), controlPlane.messages().stream().filter(m -> m.hasStarted() || m.hasOutput()).toList());
    }

    @Test
    void aCommandEndingWithinASecondIsReportedByItsResultAlone() throws IOException {
        startConnected(1);
        // 0.2 s: far enough under the first live report (1 s) that a busy machine's process start does not reach it
        // (0.5 s did, once, in CI while another process took the other core).
        controlPlane.send(shell("inv-half", "echo half; sleep 0.2; echo done"));

        InvocationResult result = controlPlane.awaitResult("inv-half");
        assertEquals("half\ndone\n", result.getOutput());
        assertTrue(result.getFinishedAtUnixMs() - result.getStartedAtUnixMs() >= 200, result::toString);
        assertEquals(List.of(), controlPlane.messages().stream().filter(m -> m.hasStarted() || m.hasOutput()).toList());
    }

    @Test
    void aLongerCommandIsReportedRunningAndItsOutputStreamedBeforeItsResult() throws IOException {
        startConnected(1);
        controlPlane.send(shell("inv-live", "echo first; sleep 2; echo second"));

        controlPlane.await(m -> m.hasOutput() && m.getOutput().getData().toStringUtf8().equals("first\n"));
        assertTrue(controlPlane.results("inv-live").isEmpty(), "the output streams while the command runs");
        InvocationResult result = controlPlane.awaitResult("inv-live");
        assertEquals("first\nsecond\n", result.getOutput());
        List<AgentMessage> sent = controlPlane.messages();
        int started = indexOf(sent, m -> m.hasStarted() && m.getStarted().getInvocationId().equals("inv-live"));
        int firstChunk = indexOf(sent, AgentMessage::hasOutput);
        assertTrue(started >= 0 && started < firstChunk, "InvocationStarted comes before the output");
        assertEquals(result.getStartedAtUnixMs(), sent.get(started).getStarted().getStartedAtUnixMs());
    }

    private static int indexOf(List<AgentMessage> messages, java.util.function.Predicate<AgentMessage> match) {
        for (int i = 0; i < messages.size(); i++) {
            if (match.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void outputOverTheCapIsTruncatedAndLiveChunksStayWithinIt() throws IOException {
        startConnected(1);
        // Runs past the first live report, so its output is streamed too.
        controlPlane.send(run("inv-big", Interpreter.INTERPRETER_SHELL,
                "head -c 100000 /dev/zero | tr '\\0' a; sleep 1.5; echo; echo tail-end", 30, 1000));

        InvocationResult result = controlPlane.awaitResult("inv-big");
        assertEquals(InvocationStatus.INVOCATION_STATUS_EXITED, result.getStatus());
        assertEquals("a".repeat(1000), result.getOutput());
        assertTrue(result.getOutputTruncated());
        List<AgentMessage> chunks = controlPlane.messages().stream().filter(AgentMessage::hasOutput).toList();
        assertTrue(chunks.stream().allMatch(m -> m.getOutput().getData().size() <= 8 * 1024));
        assertEquals(1000, chunks.stream().mapToInt(m -> m.getOutput().getData().size()).sum());
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws IOException {
        startConnected(1);
        controlPlane.send(run("inv-slow", Interpreter.INTERPRETER_SHELL, "sh -c 'sleep 300 & sleep 300; wait'", 2, 0));

        List<ProcessHandle> sleeps = Waits.until(() -> {
            List<ProcessHandle> found = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false)).toList();
            return found.size() == 2 ? found : null;
        }, Duration.ofSeconds(10));
        List<ProcessHandle> tree = ProcessHandle.current().descendants().toList();

        InvocationResult result = controlPlane.awaitResult("inv-slow");
        assertEquals(InvocationStatus.INVOCATION_STATUS_TIMED_OUT, result.getStatus());
        assertEquals(2, sleeps.size());
        for (ProcessHandle process : tree) {
            Waits.until(() -> runs(process) ? null : true, Duration.ofSeconds(5));
        }
    }

    @Test
    void cancelKillsTheCommand() throws IOException {
        startConnected(1);
        controlPlane.send(shell("inv-cancel", "sleep 300"));
        controlPlane.await(m -> m.hasStarted() && m.getStarted().getInvocationId().equals("inv-cancel"));

        controlPlane.send(ControlMessage.newBuilder()
                .setCancel(CancelCommand.newBuilder().setInvocationId("inv-cancel")).build());

        assertEquals(InvocationStatus.INVOCATION_STATUS_CANCELLED, controlPlane.awaitResult("inv-cancel").getStatus());
    }

    @Test
    void aHelloAfterAReconnectListsTheCommandsStillRunning() throws IOException {
        startConnected(1);
        controlPlane.send(shell("inv-running", "sleep 300"));
        controlPlane.await(m -> m.hasStarted() && m.getStarted().getInvocationId().equals("inv-running"));

        controlPlane.dropStream();

        assertEquals(List.of("inv-running"), controlPlane.awaitHello(2).getRunningInvocationIdsList());
        assertEquals(List.of(), controlPlane.hellos().get(0).getRunningInvocationIdsList());
    }

    @Test
    void aDuplicateRunCommandIsNotRunTwiceButGetsTheStoredResult() throws IOException {
        controlPlane.autoAck = false;
        Path counter = stateDir.resolveSibling(stateDir.getFileName() + "-runs");
        startConnected(1);
        String script = "echo run >> '" + counter + "'; sleep 1";

        controlPlane.send(shell("inv-dup", script));
        controlPlane.send(shell("inv-dup", script));
        controlPlane.awaitResult("inv-dup");
        controlPlane.send(shell("inv-dup", script));
        Waits.until(() -> controlPlane.results("inv-dup").size() == 2 ? true : null, Duration.ofSeconds(10));

        controlPlane.send(FakeControlPlane.ack("inv-dup"));
        controlPlane.send(shell("inv-dup", script));
        controlPlane.send(shell("inv-other", "true"));
        controlPlane.awaitResult("inv-other");

        assertEquals(1, Files.readAllLines(counter).size());
        assertEquals(2, controlPlane.results("inv-dup").size());
    }

    @Test
    void aSpooledResultIsResentAfterEveryReconnectUntilAcked() throws IOException {
        controlPlane.autoAck = false;
        startConnected(1);
        controlPlane.send(shell("inv-spool", "echo spooled"));
        controlPlane.awaitResult("inv-spool");
        Path spool = stateDir.resolve("invocations/inv-spool/result.pb");
        assertTrue(Files.exists(spool));

        controlPlane.dropStream();
        controlPlane.awaitHello(2);
        Waits.until(() -> controlPlane.results("inv-spool").size() == 2 ? true : null, Duration.ofSeconds(10));

        controlPlane.send(FakeControlPlane.ack("inv-spool"));
        Waits.until(() -> Files.exists(spool) ? null : true, Duration.ofSeconds(5));
        assertTrue(Files.exists(stateDir.resolve("invocations/inv-spool/started")));

        controlPlane.dropStream();
        controlPlane.awaitHello(3);
        controlPlane.send(shell("inv-after", "true"));
        controlPlane.awaitResult("inv-after");
        assertEquals(2, controlPlane.results("inv-spool").size());
        assertEquals("spooled\n", controlPlane.results("inv-spool").get(1).getOutput());
    }

    @Test
    void aCommandRunningWhenTheAgentDiedIsReportedInterruptedAndNeverRerun() throws IOException {
        Path ran = stateDir.resolveSibling(stateDir.getFileName() + "-ran");
        new InvocationJournal(stateDir).markStarted("inv-crashed");

        startConnected(1);
        InvocationResult result = controlPlane.awaitResult("inv-crashed");
        assertEquals(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, result.getStatus());

        controlPlane.send(shell("inv-crashed", "touch '" + ran + "'"));
        controlPlane.send(shell("inv-next", "true"));
        controlPlane.awaitResult("inv-next");
        assertFalse(Files.exists(ran));
    }

    @Test
    void anUnavailableInterpreterIsReportedWithoutRunning() throws IOException {
        startConnected(1);
        controlPlane.send(run("inv-bat", Interpreter.INTERPRETER_BAT, "echo hi", 30, 0));

        InvocationResult result = controlPlane.awaitResult("inv-bat");
        assertEquals(InvocationStatus.INVOCATION_STATUS_INTERPRETER_UNAVAILABLE, result.getStatus());
        assertFalse(controlPlane.hellos().get(0).getInterpretersList().contains(Interpreter.INTERPRETER_BAT));
        assertTrue(controlPlane.hellos().get(0).getInterpretersList().contains(Interpreter.INTERPRETER_SHELL));
    }

    /** Alive and not a zombie: killed orphans may stay zombies when the container's init does not reap them. */
    private static boolean runs(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
