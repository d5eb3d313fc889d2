package io.deskfleet.agent.execution;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.Interpreter;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.RunCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Executions on its own loop, with a real journal and real processes; the outbox is a queue. */
class ExecutionsTest {
    @TempDir
    Path stateDir;

    private final BlockingQueue<AgentMessage> sent = new LinkedBlockingQueue<>();
    private final ExecutorService loop = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopLoop() {
        loop.shutdownNow();
    }

    @Test
    void commandsOneAfterAnotherEachGetTheirOwnResult() throws Exception {
        Interpreters interpreters = Interpreters.detect();
        assumeTrue(interpreters.has(Interpreter.INTERPRETER_SHELL));
        Executions executions = executions(interpreters);

        for (int i = 1; i <= 3; i++) {
            String id = "inv-" + i;
            int exit = i;
            loop.submit(() -> executions.run(shell(id, "echo " + id + "; exit " + exit), true)).get();
            InvocationResult result = nextResult();
            assertEquals(id, result.getInvocationId());
            assertEquals(InvocationStatus.INVOCATION_STATUS_EXITED, result.getStatus());
            assertEquals(i, result.getExitCode());
            assertEquals(id + "\n", result.getOutput());
        }
    }

    @Test
    void aCommandArrivingWhileTheAgentStopsIsReportedInterruptedAndNotRun() throws Exception {
        Interpreters interpreters = Interpreters.detect();
        assumeTrue(interpreters.has(Interpreter.INTERPRETER_SHELL));
        Executions executions = executions(interpreters);
        Path ran = stateDir.resolveSibling(stateDir.getFileName() + "-ran");
        loop.submit(() -> executions.stop("the agent stopped")).get();

        loop.submit(() -> executions.run(shell("inv-late", "touch '" + ran + "'"), true)).get();

        InvocationResult result = nextResult();
        assertEquals("inv-late", result.getInvocationId());
        assertEquals(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, result.getStatus());
        assertEquals("the agent is stopping", result.getDetail());
        assertTrue(executions.awaitRunners(5_000));
        assertFalse(Files.exists(ran));
        // spooled like any result, so it is resent after a restart until acknowledged
        List<InvocationResult> pending = new InvocationJournal(stateDir).recover(0);
        assertEquals(List.of("inv-late"), pending.stream().map(InvocationResult::getInvocationId).toList());
    }

    private Executions executions(Interpreters interpreters) throws IOException {
        return new Executions(new InvocationJournal(stateDir), interpreters, loop, sent::add, System::currentTimeMillis);
    }

    private InvocationResult nextResult() throws InterruptedException {
        while (true) {
            AgentMessage message = sent.poll(30, TimeUnit.SECONDS);
            assertNotNull(message, "no result within 30 s");
            if (message.hasResult()) {
                return message.getResult();
            }
        }
    }

    private static RunCommand shell(String id, String content) {
        return RunCommand.newBuilder().setInvocationId(id).setInterpreter(Interpreter.INTERPRETER_SHELL).setContent(content)
                .setTimeoutSeconds(30).build();
    }
}
