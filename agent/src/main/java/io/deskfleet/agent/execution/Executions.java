package io.deskfleet.agent.execution;

import com.google.protobuf.ByteString;
import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.OutputChunk;
import io.deskfleet.agent.v1.OutputStream;
import io.deskfleet.agent.v1.RunCommand;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Applies the delivery rules to RunCommand, CancelCommand and ResultAck. Confined to the agent's event loop: every
 * method is called there, and runner threads report back by posting to it.
 */
public final class Executions {
    private static final System.Logger LOG = System.getLogger(Executions.class.getName());
    private static final long RUNNER_STACK_BYTES = 256 * 1024;

    private final InvocationJournal journal;
    private final Interpreters interpreters;
    private final Executor loop;
    private final Consumer<AgentMessage> outbox;
    private final LongSupplier clock;
    private final Map<String, RunningCommand> running = new HashMap<>();
    private final Map<String, InvocationResult> unacked = new LinkedHashMap<>();
    /**
     * Commands run on pooled threads: starting and ending a thread took 0.4-0.5 ms of an agent's CPU per command,
     * a tenth of what the agent JVM spends on a short command. Idle threads end after a minute.
     */
    private final ExecutorService runners = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(null, task, "runner", RUNNER_STACK_BYTES);
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param outbox sends a message on the stream if one is up; results need not get through, since they are
     *               spooled and resent after every Welcome until acked
     */
    public Executions(InvocationJournal journal, Interpreters interpreters, Executor loop,
                      Consumer<AgentMessage> outbox, LongSupplier clock) {
        this.journal = journal;
        this.interpreters = interpreters;
        this.loop = loop;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Results found in the state dir at startup (see {@link InvocationJournal#recover}). */
    public void restore(List<InvocationResult> pending) {
        pending.forEach(r -> unacked.put(r.getInvocationId(), r));
    }

    public void run(RunCommand command, boolean desktopRunning) {
        String id = command.getInvocationId();
        if (id.isEmpty()) {
            LOG.log(Level.WARNING, "ignoring RunCommand without invocation_id");
            return;
        }
        if (journal.isKnown(id)) {
            InvocationResult stored = unacked.get(id);
            if (stored != null) {
                LOG.log(Level.INFO, "duplicate " + id + ": resending its result");
                send(stored);
            } else {
                LOG.log(Level.INFO, "duplicate " + id + ": " + (running.containsKey(id) ? "still running" : "already acked") + ", ignored");
            }
            return;
        }
        try {
            journal.markStarted(id);
        } catch (IOException e) {
            // Without the marker the at-most-once promise cannot be kept, so the command is not run.
            finish(failure(id, InvocationStatus.INVOCATION_STATUS_LAUNCH_FAILED, "cannot write the state dir: " + e.getMessage()));
            return;
        }
        if (!desktopRunning) {
            finish(failure(id, InvocationStatus.INVOCATION_STATUS_DESKTOP_NOT_RUNNING, "the desktop is not running"));
        } else if (!interpreters.has(command.getInterpreter())) {
            finish(failure(id, InvocationStatus.INVOCATION_STATUS_INTERPRETER_UNAVAILABLE,
                    command.getInterpreter() + " is not available on this desktop"));
        } else if (runners.isShutdown()) {
            finish(failure(id, InvocationStatus.INVOCATION_STATUS_INTERRUPTED, "the agent is stopping"));
        } else {
            RunningCommand runner = new RunningCommand(command, journal, interpreters, new LoopListener(), clock);
            running.put(id, runner);
            runners.execute(runner);
            LOG.log(Level.INFO, "running " + id + " (" + command.getInterpreter() + ")");
        }
    }

    public void cancel(String invocationId) {
        RunningCommand runner = running.get(invocationId);
        if (runner == null) {
            LOG.log(Level.INFO, "cancel " + invocationId + ": not running, ignored");
            return;
        }
        LOG.log(Level.INFO, "cancelling " + invocationId);
        runner.kill(InvocationStatus.INVOCATION_STATUS_CANCELLED, "cancelled");
    }

    /**
     * OutputRequest: sends the invocation's output again from {@code offset}. A running command's next flush does
     * it; a finished one's is read from its spool file, which exists only for output beyond the result's excerpt
     * (smaller output travels whole in the result). Anything else (acked, unknown) has nothing left to send.
     */
    public void resendOutput(String invocationId, long offset) {
        RunningCommand runner = running.get(invocationId);
        if (runner != null) {
            runner.resendFrom(offset);
            return;
        }
        if (!unacked.containsKey(invocationId)) {
            return;
        }
        Path file = journal.outputFile(invocationId);
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = Math.max(0, offset);
            byte[] data;
            while ((data = OutputSpool.readFile(channel, at, RunningCommand.CHUNK_BYTES)).length > 0) {
                outbox.accept(AgentMessage.newBuilder().setOutput(OutputChunk.newBuilder()
                        .setInvocationId(invocationId).setStream(OutputStream.OUTPUT_STREAM_STDOUT).setOffset(at)
                        .setData(ByteString.copyFrom(data))).build());
                at += data.length;
            }
            LOG.log(Level.INFO, "resent output of " + invocationId + " from " + offset);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot resend the output of " + invocationId + ": " + e);
        }
    }

    public void acknowledge(String invocationId) {
        if (unacked.remove(invocationId) == null) {
            return;
        }
        try {
            journal.acknowledge(invocationId);
            LOG.log(Level.INFO, "acked " + invocationId);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not drop the spooled result of " + invocationId + "; it will be resent: " + e);
        }
    }

    /** Kills every running command; each one's runner then spools and reports an INTERRUPTED result. */
    public void interruptAll(String detail) {
        running.values().forEach(r -> r.kill(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, detail));
    }

    /**
     * The agent is stopping: interrupts every running command, and a command that arrives from now on is reported
     * INTERRUPTED without running. {@link #awaitRunners} then waits for the interrupted ones' results.
     */
    public void stop(String detail) {
        interruptAll(detail);
        runners.shutdown();
    }

    /** After {@link #stop}: true once every runner has spooled its result. Safe from any thread. */
    public boolean awaitRunners(long timeoutMillis) throws InterruptedException {
        return runners.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public List<String> runningIds() {
        return new ArrayList<>(running.keySet());
    }

    /** After every Welcome: the control plane acks each copy, and only an ack ends the resending. */
    public void resendUnacked() {
        unacked.values().forEach(this::send);
    }

    private void finish(InvocationResult result) {
        try {
            journal.spool(result);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "could not spool result of " + result.getInvocationId() + "; sending it unspooled: " + e);
        }
        completed(result);
    }

    private void completed(InvocationResult result) {
        running.remove(result.getInvocationId());
        unacked.put(result.getInvocationId(), result);
        LOG.log(Level.INFO, "result of " + result.getInvocationId() + ": " + result.getStatus()
                + (result.getStatus() == InvocationStatus.INVOCATION_STATUS_EXITED ? " " + result.getExitCode() : ""));
        send(result);
    }

    private void send(InvocationResult result) {
        outbox.accept(AgentMessage.newBuilder().setResult(result).build());
    }

    private InvocationResult failure(String id, InvocationStatus status, String detail) {
        long now = clock.getAsLong();
        return InvocationResult.newBuilder()
                .setInvocationId(id)
                .setStatus(status)
                .setDetail(detail)
                .setStartedAtUnixMs(now)
                .setFinishedAtUnixMs(now)
                .build();
    }

    /** Runner threads never touch this object's state directly; they post to the loop. */
    private final class LoopListener implements RunningCommand.Listener {
        @Override
        public void started(InvocationStarted started) {
            post(() -> outbox.accept(AgentMessage.newBuilder().setStarted(started).build()));
        }

        @Override
        public void output(OutputChunk chunk) {
            post(() -> outbox.accept(AgentMessage.newBuilder().setOutput(chunk).build()));
        }

        @Override
        public void finished(InvocationResult result) {
            post(() -> completed(result));
        }

        private void post(Runnable task) {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                // The agent is shutting down; the spooled result is sent on the next start.
            }
        }
    }
}
