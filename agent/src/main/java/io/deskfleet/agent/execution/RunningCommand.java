package io.deskfleet.agent.execution;

import com.google.protobuf.ByteString;
import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStarted;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.OutputChunk;
import io.deskfleet.agent.v1.OutputStream;
import io.deskfleet.agent.v1.RunCommand;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One invocation from launch to spooled result, on a pooled runner thread it has to itself while it runs. The runner
 * only talks to the outside through {@link Listener}; the listener hands everything to the agent's event loop.
 */
final class RunningCommand implements Runnable {
    static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
    static final int CHUNK_BYTES = 8 * 1024;
    private static final long POLL_MILLIS = 20;
    static final long LIVE_REPORT_MILLIS = 1_000;
    private static final System.Logger LOG = System.getLogger(RunningCommand.class.getName());

    interface Listener {
        void started(InvocationStarted started);

        void output(OutputChunk chunk);

        /** Called once, after the result is spooled. */
        void finished(InvocationResult result);
    }

    private static final Duration KILL_PATIENCE = Duration.ofSeconds(5);

    private record Kill(InvocationStatus status, String detail) {
    }

    private final RunCommand command;
    private final InvocationJournal journal;
    private final Interpreters interpreters;
    private final Listener listener;
    private final LongSupplier clock;
    private final int maxOutputBytes;
    /** The whole output's cap; the excerpt's when the control plane asked for no more. */
    private final long fullOutputBytes;
    /** An offset the control plane asked to be sent again from (OutputRequest), or -1; taken by the next flush. */
    private final AtomicLong resendFrom = new AtomicLong(-1);

    // Guarded by this: a kill that arrives before launch must stop the launch.
    private Process process;
    private Kill kill;
    /** What kill() signalled; the runner waits for it to be gone before it reports the result. */
    private List<ProcessHandle> killed = List.of();

    RunningCommand(RunCommand command, InvocationJournal journal, Interpreters interpreters, Listener listener,
                   LongSupplier clock) {
        this.command = command;
        this.journal = journal;
        this.interpreters = interpreters;
        this.listener = listener;
        this.clock = clock;
        this.maxOutputBytes = command.getMaxOutputBytes() > 0 ? command.getMaxOutputBytes() : DEFAULT_MAX_OUTPUT_BYTES;
        this.fullOutputBytes = Math.max(maxOutputBytes, command.getFullOutputMaxBytes());
    }

    /** OutputRequest for a command still running: its next flush sends again from there. Safe from any thread. */
    void resendFrom(long offset) {
        resendFrom.accumulateAndGet(offset, (current, asked) -> current < 0 ? asked : Math.min(current, asked));
    }

    String invocationId() {
        return command.getInvocationId();
    }

    /** Kills the process and its whole tree; the first reason wins. Safe from any thread. */
    void kill(InvocationStatus status, String detail) {
        synchronized (this) {
            if (kill != null) {
                return;
            }
            kill = new Kill(status, detail);
            // signalled under the lock so the runner never sees the kill without the tree it must wait for
            if (process != null) {
                killed = ProcessTrees.destroyForcibly(process.toHandle());
            }
        }
    }

    @Override
    public void run() {
        InvocationResult result;
        try {
            result = execute();
        } catch (IOException | RuntimeException e) {
            result = result(InvocationStatus.INVOCATION_STATUS_LAUNCH_FAILED, 0).setDetail("agent error: " + e).build();
        }
        journal.deleteScratch(invocationId());
        try {
            journal.spool(result);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "could not spool result of " + invocationId() + "; sending it unspooled: " + e);
        }
        listener.finished(result);
    }

    private InvocationResult execute() throws IOException {
        String id = invocationId();
        var script = journal.scriptFile(id, Interpreters.extension(command.getInterpreter()));
        Files.writeString(script, command.getContent(), StandardCharsets.UTF_8);
        var workDir = Files.createDirectory(journal.workDir(id));
        ProcessBuilder builder = new ProcessBuilder(interpreters.command(command.getInterpreter(), script))
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        long startedAt;
        Process started;
        synchronized (this) {
            if (kill != null) {
                return result(kill.status(), 0).setDetail(kill.detail() + " before it started").build();
            }
            try {
                process = builder.start();
            } catch (IOException e) {
                return result(InvocationStatus.INVOCATION_STATUS_LAUNCH_FAILED, 0).setDetail(e.getMessage()).build();
            }
            started = process;
            startedAt = clock.getAsLong();
        }
        // Scripts get an empty stdin instead of one that never ends.
        started.getOutputStream().close();
        journal.recordProcess(id, started.toHandle());
        CappedOutput output = new CappedOutput(maxOutputBytes);
        OutputSpool spool = new OutputSpool(fullOutputBytes, maxOutputBytes, journal.outputFile(id));
        try (spool) {
            drainUntilExit(started, startedAt, output, spool);
            spool.sync();
        }
        CappedOutput.Captured captured = output.captured();
        Kill reason;
        List<ProcessHandle> tree;
        synchronized (this) {
            reason = kill;
            tree = killed;
        }
        ProcessTrees.awaitGone(tree, KILL_PATIENCE);
        InvocationResult.Builder result = result(reason == null ? InvocationStatus.INVOCATION_STATUS_EXITED : reason.status(), startedAt)
                .setOutput(captured.text())
                .setOutputTruncated(captured.truncated());
        if (command.getFullOutputMaxBytes() > 0) {
            result.setFullOutputBytes(spool.size()).setFullOutputTruncated(spool.truncated());
        }
        if (reason == null) {
            result.setExitCode(started.exitValue());
        } else {
            result.setDetail(reason.detail());
        }
        return result.build();
    }

    /**
     * Reads only what {@link InputStream#available()} reports, never blocking in read(): a background child that
     * outlives the script keeps the pipe open, and a blocked read would then hold the result back until that child
     * exits. Once the script is gone, what it wrote is still buffered and is read; later writes of orphans are not.
     * <p>
     * A command is reported running, and its output streamed, only once it has run for {@link #LIVE_REPORT_MILLIS},
     * then every as often: a command that ends sooner is reported by its result alone, which carries its start time
     * and its output. Under load a short command runs for a while: 45 agent JVMs started {@code hostname} at once on 2
     * cores and took 0.4-0.9 s each, so with a 100 ms delay they still sent both messages; with 1 s the job took
     * 1.02-1.05 s instead of 1.12-1.29 s (bench/RESULTS.md). A second is also as often as a person reads a live
     * stream, and it bounds a chatty fleet's output to a message per desktop per second.
     * <p>
     * When the excerpt the result carries is not the whole output, what was not streamed yet goes out as chunks
     * before the result (on the same stream, so the control plane has it when the result arrives).
     */
    private void drainUntilExit(Process started, long startedAt, CappedOutput output, OutputSpool spool)
            throws IOException {
        boolean timeoutPending = command.getTimeoutSeconds() > 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, command.getTimeoutSeconds()));
        long nextReport = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVE_REPORT_MILLIS);
        LiveOutput live = new LiveOutput(spool);
        byte[] buffer = new byte[CHUNK_BYTES];
        InputStream in = started.getInputStream();
        while (true) {
            int available = in.available();
            if (available > 0) {
                int read = in.read(buffer, 0, Math.min(available, buffer.length));
                if (read > 0) {
                    output.append(buffer, 0, read);
                    spool.append(buffer, read);
                }
            } else if (!started.isAlive()) {
                if (spool.size() > maxOutputBytes || spool.truncated()) {
                    live.flush();
                }
                return;
            } else {
                if (timeoutPending && System.nanoTime() - deadline >= 0) {
                    kill(InvocationStatus.INVOCATION_STATUS_TIMED_OUT, "killed after " + command.getTimeoutSeconds() + " s timeout");
                    timeoutPending = false;
                }
                try {
                    started.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    kill(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, "agent stopped");
                }
            }
            if (System.nanoTime() - nextReport >= 0) {
                if (!live.reported) {
                    listener.started(InvocationStarted.newBuilder().setInvocationId(invocationId())
                            .setStartedAtUnixMs(startedAt).build());
                    live.reported = true;
                }
                live.flush();
                nextReport = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVE_REPORT_MILLIS);
            }
        }
    }

    /** Streams the spooled output from where the last flush ended (or from where the control plane asked). */
    private final class LiveOutput {
        private final OutputSpool spool;
        private long streamed;
        private boolean reported;

        LiveOutput(OutputSpool spool) {
            this.spool = spool;
        }

        void flush() throws IOException {
            long asked = resendFrom.getAndSet(-1);
            if (asked >= 0) {
                streamed = Math.min(streamed, asked);
            }
            byte[] data;
            while ((data = spool.read(streamed, CHUNK_BYTES)).length > 0) {
                listener.output(OutputChunk.newBuilder()
                        .setInvocationId(invocationId())
                        .setStream(OutputStream.OUTPUT_STREAM_STDOUT)
                        .setOffset(streamed)
                        .setData(ByteString.copyFrom(data))
                        .build());
                streamed += data.length;
            }
        }
    }

    private InvocationResult.Builder result(InvocationStatus status, long startedAt) {
        return InvocationResult.newBuilder()
                .setInvocationId(invocationId())
                .setStatus(status)
                .setStartedAtUnixMs(startedAt)
                .setFinishedAtUnixMs(clock.getAsLong());
    }
}
