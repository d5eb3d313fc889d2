package io.deskfleet.bench;

import io.deskfleet.bench.ControlPlaneApi.Activation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Real agent processes against the control plane: one agent's start-to-connected time and resident memory, then
 * `hostname` on a pool of N of them (gray batch 5, threshold 1, then the rest), and the same job with Ansible.
 */
final class RealAgentBench {
    static final int GRAY = 5;
    static final String COMMAND = "hostname";
    static final int SINGLE_STARTS = 5;
    /** Agents of the fleet that may be starting (not yet connected) at the same time. */
    static final int STARTING_AT_ONCE = 5;
    /** Resident memory is read once the agent has been idle (connected, heartbeating) this long. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

    private final ControlPlaneProcess controlPlane;
    private final ControlPlaneApi api;
    private final Report report;
    private final int runs;
    private final int agents;
    private final Path launcher;
    private final Path dir;
    private final Path ansibleDir;

    RealAgentBench(ControlPlaneProcess controlPlane, ControlPlaneApi api, Report report, int runs, int agents,
                   Path launcher, Path dir, Path ansibleDir) {
        this.controlPlane = controlPlane;
        this.api = api;
        this.report = report;
        this.runs = runs;
        this.agents = agents;
        this.launcher = launcher;
        this.dir = dir;
        this.ansibleDir = ansibleDir;
    }

    void run() throws Exception {
        RealAgent.prime(launcher);
        singleAgent();
        double ours = fleet();
        floor(ours);
        if (ansibleDir != null) {
            ansible(ours);
        }
    }

    /** One agent at a time on an otherwise idle machine: what starting one desktop's agent costs. */
    private void singleAgent() throws Exception {
        String poolId = api.createPool("bench-real-single");
        Activation activation = api.createActivation(poolId, SINGLE_STARTS);
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 1; i <= SINGLE_STARTS; i++) {
            try (RealAgent agent = RealAgent.start(launcher, controlPlane.grpcTarget(), BenchRunner.PROJECT_ID,
                    poolId, activation, "single-" + i, dir)) {
                seconds.add(agent.awaitConnected(CONNECT_TIMEOUT));
                cpu.add(agent.cpuSeconds());
                Thread.sleep(SETTLE.toMillis());
                rss.add((double) agent.rssBytes());
            }
        }
        BenchRunner.log("real agent start to connected, s: " + seconds + "; VmRSS bytes: " + rss);
        report.add("real agent (agent/deskfleet-agent): start to registered and connected, median of "
                + SINGLE_STARTS + " starts one at a time (s: " + format(seconds) + ")",
                String.format(Locale.ROOT, "%.2f s", Stats.median(seconds)));
        report.add("real agent: its JVM's CPU time (user+sys) from start to connected, median (s: " + format(cpu)
                + ")", String.format(Locale.ROOT, "%.2f s", Stats.median(cpu)));
        report.add("real agent: VmRSS after " + SETTLE.toSeconds() + " s connected, median of " + SINGLE_STARTS
                + " (max " + mib(Collections.max(rss)) + ")", mib(Stats.median(rss)));
    }

    /** N agents started together, then the job; returns its median seconds. */
    private double fleet() throws Exception {
        String poolId = api.createPool("bench-real-" + agents);
        Activation activation = api.createActivation(poolId, agents);
        List<RealAgent> fleet = new ArrayList<>();
        try {
            long started = System.nanoTime();
            for (int i = 1; i <= agents; i++) {
                if (i > STARTING_AT_ONCE) {
                    // one machine plays all the desktops: a window of starting JVMs keeps each within its
                    // registration deadline, as separate desktops would be
                    fleet.get(i - 1 - STARTING_AT_ONCE).awaitConnected(CONNECT_TIMEOUT);
                }
                fleet.add(RealAgent.start(launcher, controlPlane.grpcTarget(), BenchRunner.PROJECT_ID, poolId,
                        activation, String.format("desk-%02d", i), dir));
            }
            for (RealAgent agent : fleet) {
                agent.awaitConnected(CONNECT_TIMEOUT);
            }
            double allConnected = (System.nanoTime() - started) / 1e9;
            awaitOnline(poolId);
            Thread.sleep(SETTLE.toMillis());
            List<Double> rss = new ArrayList<>();
            for (RealAgent agent : fleet) {
                rss.add((double) agent.rssBytes());
            }
            report.add(agents + " real agents started " + STARTING_AT_ONCE + " at a time: all registered and connected",
                    String.format(Locale.ROOT, "%.1f s", allConnected));
            report.add(agents + " real agents: VmRSS median (max " + mib(Collections.max(rss)) + ")",
                    mib(Stats.median(rss)));

            // Unmeasured runs first, as many as before the fan-outs: the figure is a warmed-up fleet's, as the
            // fan-out's is. An agent's first command loads and links the classes of running a process (about 2 s
            // more on 2 cores), which a long-lived agent pays once, and the next few runs are slower while the JIT
            // compilers of the agents and of the control plane work through the job's paths (30 runs in a row,
            // bench/RESULTS.md stop 12: median 0.419 s for runs 2-6, 0.361 s for runs 12-31). Ansible gets one
            // unmeasured run: each of its runs is a new process, so a warm cache of its modules is all it can keep.
            double first = BenchRunner.timedExecution(api, poolId, COMMAND, GRAY, agents);
            BenchRunner.log("`" + COMMAND + "` on " + agents + " real agents, first run after they started: "
                    + String.format(Locale.ROOT, "%.3f s", first));
            for (int warmUp = 2; warmUp <= BenchRunner.WARM_UP_RUNS; warmUp++) {
                BenchRunner.log("`" + COMMAND + "` on " + agents + " real agents, unmeasured warm-up run " + warmUp
                        + ": " + String.format(Locale.ROOT, "%.3f s",
                        BenchRunner.timedExecution(api, poolId, COMMAND, GRAY, agents)));
            }
            List<Double> seconds = new ArrayList<>();
            // CPU time hardly moves when the 50 JVMs compete for the cores, so set beside the wall time it tells more
            // work per command from more waiting; a slow period of the VM itself still inflates both.
            double agentCpu = agentCpuSeconds(fleet);
            double controlPlaneCpu = controlPlane.cpuSeconds();
            for (int run = 1; run <= runs; run++) {
                double elapsed = BenchRunner.timedExecution(api, poolId, COMMAND, GRAY, agents);
                BenchRunner.log("`" + COMMAND + "` on " + agents + " real agents, run " + run + ": "
                        + String.format(Locale.ROOT, "%.3f s", elapsed));
                seconds.add(elapsed);
            }
            double commands = (double) runs * agents;
            double agentMs = (agentCpuSeconds(fleet) - agentCpu) * 1000 / commands;
            double controlPlaneMs = (controlPlane.cpuSeconds() - controlPlaneCpu) * 1000 / commands;
            double median = Stats.median(seconds);
            report.add("`" + COMMAND + "` on " + agents + " real agents, gray " + GRAY + " (threshold 1) then "
                    + (agents - GRAY) + ": POST to terminal, median s after " + BenchRunner.WARM_UP_RUNS
                    + " unmeasured (runs: " + format(seconds) + ")",
                    String.format(Locale.ROOT, "%.3f", median));
            report.add("that job: the first run after the agents started (not in the median), s",
                    String.format(Locale.ROOT, "%.3f", first));
            report.add("that job: CPU time (user+sys) per command over the measured runs, of the agent JVMs (not the "
                    + "processes they start) / of the control plane", String.format(Locale.ROOT, "%.1f ms / %.1f ms",
                    agentMs, controlPlaneMs));
            return median;
        } finally {
            fleet.forEach(RealAgent::close);
        }
    }

    private static double agentCpuSeconds(List<RealAgent> fleet) throws IOException {
        double total = 0;
        for (RealAgent agent : fleet) {
            total += agent.cpuSeconds();
        }
        return total;
    }

    private void awaitOnline(String poolId) throws Exception {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        int online;
        while ((online = api.onlineCount(poolId)) < agents) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(online + " of " + agents + " real agents online after " + CONNECT_TIMEOUT);
            }
            Thread.sleep(200);
        }
    }

    /** The same two batches as plain forks, timed as many times as our job; target: ours at most 1.5 times this. */
    private void floor(double ours) throws Exception {
        ForkFloor floor = new ForkFloor(GRAY, agents - GRAY);
        floor.run(); // unmeasured, as Ansible's first run: the first fork of a binary pages it in
        List<Double> seconds = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            seconds.add(floor.run());
        }
        double median = Stats.median(seconds);
        BenchRunner.log("fork floor (" + floor.script() + "), s: " + seconds);
        report.add("floor of that job: the same batches as plain parallel forks (`" + floor.script().replace("|",
                "\\|") + "`), median s (runs: " + format(seconds) + ")", String.format(Locale.ROOT, "%.3f", median));
        report.add("Deskfleet time / floor for that job (target <= 1.5)",
                String.format(Locale.ROOT, "%.2fx", ours / median));
    }

    private void ansible(double ours) throws Exception {
        String figure = "same job with Ansible (ansible-playbook, connection local, " + agents + " inventory aliases, "
                + "forks " + agents + ", serial [" + GRAY + ", " + (agents - GRAY) + "], any_errors_fatal, "
                + "max_fail_percentage 0)";
        String missing = AnsibleRun.ensureInstalled();
        if (missing != null) {
            BenchRunner.log(missing);
            report.add(figure, "not measured: " + missing);
            return;
        }
        AnsibleRun ansible = AnsibleRun.prepare(ansibleDir, agents, GRAY);
        ansible.run(); // unmeasured: Python's first start compiles and caches Ansible's modules
        List<Double> seconds = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double elapsed = ansible.run();
            BenchRunner.log("ansible-playbook, run " + run + ": " + String.format(Locale.ROOT, "%.3f s", elapsed));
            seconds.add(elapsed);
        }
        double median = Stats.median(seconds);
        report.add(figure + ": wall time, median s (runs: " + format(seconds) + ")",
                String.format(Locale.ROOT, "%.3f", median));
        report.add("Ansible time / Deskfleet time for that job (target >= 30)",
                String.format(Locale.ROOT, "%.1fx", median / ours));
    }

    private static String format(List<Double> seconds) {
        return String.join(", ", seconds.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList());
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1_048_576.0);
    }
}
