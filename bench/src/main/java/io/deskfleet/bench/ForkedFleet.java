package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;
import io.deskfleet.bench.swarm.CommandArrival;
import io.deskfleet.bench.swarm.SwarmPart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * N simulated desktops in one pool, split over child JVMs ({@code bench swarm-part}), each with its own activation.
 * A process holds one descriptor per connection under its RLIMIT_NOFILE, whose hard limit cannot be raised without
 * CAP_SYS_RESOURCE; several processes each have their own, so a fleet larger than one limit runs as several parts.
 * The parts are started first and told to register together, so that the herd is measured from one moment and not
 * from each JVM's start.
 */
final class ForkedFleet implements AutoCloseable {
    private static final Duration ANSWER_PATIENCE = Duration.ofSeconds(30);

    private final List<Part> parts;

    private ForkedFleet(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * Starts the parts (nothing registers yet): {@code ceil(n / perPart)} of them, their sizes differing by at most
     * one, each with an activation of its size. Desktop i of the whole fleet (its connection i) starts on replica
     * {@code i % targets.size()} and binds the source address of connection i, as in one swarm.
     *
     * @param dir where each part's log (its stderr) goes
     */
    static ForkedFleet launch(ControlPlaneApi api, String poolId, int n, int perPart, List<String> targets,
                              Path dir, Consumer<CommandArrival> arrivals) throws Exception {
        int count = (n + perPart - 1) / perPart;
        List<Part> parts = new ArrayList<>();
        try {
            int first = 0;
            for (int i = 0; i < count; i++) {
                int size = n / count + (i < n % count ? 1 : 0);
                Activation activation = api.createActivation(poolId, size);
                parts.add(Part.start(i, List.of(
                        "--target", String.join(",", targets), "--project-id", BenchRunner.PROJECT_ID,
                        "--pool-id", poolId, "--activation-id", activation.id(),
                        "--activation-code", activation.code(), "--agents", Integer.toString(size),
                        "--first-connection", Integer.toString(first), "--fleet-connections", Integer.toString(n)),
                        dir.resolve("swarm-part-" + (i + 1) + ".log"), arrivals));
                first += size;
            }
            for (Part part : parts) {
                part.expect("ready", part.next(ANSWER_PATIENCE));
            }
        } catch (Exception | Error e) {
            parts.forEach(Part::close);
            throw e;
        }
        return new ForkedFleet(parts);
    }

    int parts() {
        return parts.size();
    }

    /**
     * Every part registers all its desktops at once; returns when each desktop has registered and had its first
     * handshake answered.
     */
    void register(Duration patience) throws Exception {
        for (Part part : parts) {
            part.send("go");
        }
        for (Part part : parts) {
            part.expect("started", part.next(patience));
        }
    }

    /** Waits until every desktop holds a welcomed stream. */
    void awaitConnected(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Part part : parts) {
            long left = Math.max(0, deadline - System.nanoTime());
            String answer = part.request("connected " + TimeUnit.NANOSECONDS.toMillis(left),
                    Duration.ofNanos(left).plus(ANSWER_PATIENCE));
            if (!answer.equals("connected")) {
                throw new TimeoutException(part + ": " + answer);
            }
        }
    }

    /** Desktops holding a welcomed stream, by the index of the replica their connection uses now. */
    int[] welcomedByAddress(int addresses) throws Exception {
        int[] counts = new int[addresses];
        for (Part part : parts) {
            String[] words = part.request("welcomed " + addresses, ANSWER_PATIENCE).split(" ");
            if (!words[0].equals("welcomed") || words.length != addresses + 1) {
                throw new IllegalStateException(part + " answered '" + String.join(" ", words) + "' to welcomed");
            }
            for (int i = 0; i < addresses; i++) {
                counts[i] += Integer.parseInt(words[i + 1]);
            }
        }
        return counts;
    }

    /**
     * The parts' heartbeats so far: how many went later than offline-after after the one before, the longest gap of
     * all, and the seconds their JVMs spent in GC.
     */
    record Heartbeats(long late, Duration longestGap, Duration gc) {
        Heartbeats since(Heartbeats before) {
            return new Heartbeats(late - before.late, longestGap, gc.minus(before.gc));
        }
    }

    Heartbeats heartbeats() throws Exception {
        long late = 0;
        long longest = 0;
        long gc = 0;
        for (Part part : parts) {
            String[] words = part.request("heartbeats", ANSWER_PATIENCE).split(" ");
            if (!words[0].equals("heartbeats") || words.length != 4) {
                throw new IllegalStateException(part + " answered '" + String.join(" ", words) + "' to heartbeats");
            }
            late += Long.parseLong(words[1]);
            longest = Math.max(longest, Long.parseLong(words[2]));
            gc += Long.parseLong(words[3]);
        }
        return new Heartbeats(late, Duration.ofMillis(longest), Duration.ofMillis(gc));
    }

    /** From now on, commands that arrive take this long before their result. */
    void commandLatency(Duration latency) throws Exception {
        for (Part part : parts) {
            part.expect("ok", part.request("latency " + latency.toMillis(), ANSWER_PATIENCE));
        }
    }

    /** Whether the parts report each command's arrival to the consumer given at launch. */
    void track(boolean on) throws Exception {
        for (Part part : parts) {
            part.expect("ok", part.request("track " + (on ? "on" : "off"), ANSWER_PATIENCE));
        }
    }

    /** CPU seconds the parts have used so far. */
    double cpuSeconds() throws IOException {
        double total = 0;
        for (Part part : parts) {
            total += ControlPlaneProcess.cpuSeconds(part.process.pid());
        }
        return total;
    }

    @Override
    public void close() {
        parts.forEach(Part::close);
    }

    /** One child JVM and the two ends of its pipe. */
    private static final class Part {
        private static final String EXITED = "exited";

        private final int index;
        private final Process process;
        private final Writer requests;
        private final Path log;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        private Part(int index, Process process, Path log) {
            this.index = index;
            this.process = process;
            this.requests = process.outputWriter(StandardCharsets.UTF_8);
            this.log = log;
        }

        static Part start(int index, List<String> arguments, Path log, Consumer<CommandArrival> arrivals)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", benchJar(),
                    "swarm-part"));
            command.addAll(arguments);
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            Part part = new Part(index, process, log);
            Thread reader = new Thread(() -> part.read(arrivals), "swarm-part-" + (index + 1));
            reader.setDaemon(true);
            reader.start();
            return part;
        }

        private void read(Consumer<CommandArrival> arrivals) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.startsWith(SwarmPart.PREFIX)) {
                        continue;
                    }
                    String answer = line.substring(SwarmPart.PREFIX.length());
                    if (answer.startsWith("arrival ")) {
                        String[] words = answer.split(" ");
                        arrivals.accept(new CommandArrival(words[1], words[2], Long.parseLong(words[3])));
                    } else {
                        answers.add(answer);
                    }
                }
            } catch (IOException e) {
                // The process is gone; the marker below tells whoever waits for an answer.
            }
            answers.add(EXITED);
        }

        void send(String request) throws IOException {
            requests.write(request + "\n");
            requests.flush();
        }

        String request(String request, Duration patience) throws Exception {
            send(request);
            return next(patience);
        }

        String next(Duration patience) throws InterruptedException {
            String answer = answers.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null || answer.equals(EXITED)) {
                throw new IllegalStateException(this + (answer == null ? " answered nothing within " + patience
                        : " exited") + "; its log: " + log);
            }
            return answer;
        }

        void expect(String expected, String answer) {
            if (!answer.equals(expected)) {
                throw new IllegalStateException(this + " answered '" + answer + "' instead of '" + expected
                        + "'; its log: " + log);
            }
        }

        void close() {
            try {
                requests.close();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return "swarm part " + (index + 1) + " (pid " + process.pid() + ")";
        }

        private static String benchJar() {
            try {
                return Path.of(ForkedFleet.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
