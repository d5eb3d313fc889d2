package io.deskfleet.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the machine itself takes for the 50-desktop job: the same two batches (the gray batch, then the rest) as
 * plain parallel forks of `sh -c hostname` with xargs -P, no agent, no control plane, no network. Our time over this
 * is what Deskfleet adds.
 */
final class ForkFloor {
    private final int gray;
    private final int rest;

    ForkFloor(int gray, int rest) {
        this.gray = gray;
        this.rest = rest;
    }

    /** The shell line timed: each batch all at once, the second once the first has ended. */
    String script() {
        return batch(gray) + " && " + batch(rest);
    }

    private static String batch(int n) {
        return "seq " + n + " | xargs -P " + n + " -I{} sh -c hostname >/dev/null";
    }

    /** Seconds from starting the shell to its exit. */
    double run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process shell = new ProcessBuilder(List.of("sh", "-c", script())).inheritIO()
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!shell.waitFor(60, TimeUnit.SECONDS)) {
            shell.destroyForcibly();
            throw new IllegalStateException("the fork floor (" + script() + ") did not end within 60 s");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (shell.exitValue() != 0) {
            throw new IllegalStateException("the fork floor (" + script() + ") exited " + shell.exitValue());
        }
        return seconds;
    }
}
