package io.deskfleet.bench;

import io.deskfleet.bench.swarm.SwarmCommand;
import io.deskfleet.bench.swarm.SwarmPart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.TimeoutException;

/**
 * Entry point of bench.jar: `run` measures a fresh control plane under agents, `schedule` its scheduled tasks, `soak`
 * checks that nothing is lost or run twice while agents reconnect at random, `herd` registers a fleet all at once,
 * `swarm` loads one that is already running, `output` measures heap while real agents print 5 MiB each, `replicas`
 * compares 1 and 3 control-plane replicas on PostgreSQL and kills one.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchRunner.class, ScheduleBench.class, SoakBench.class,
        HerdBench.class, SwarmCommand.class, OutputBench.class, ReplicaBench.class, SwarmPart.class},
        description = "Deskfleet load benchmark.")
public final class BenchMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: run, schedule, soak, herd, swarm, output or replicas");
    }

    public static void main(String[] args) {
        System.exit(execute(new BenchMain(), args));
    }

    /**
     * Runs a command; a failure the bench detected itself (an unexpected answer, a timeout) is printed as its
     * message alone, since that message already says which request got which answer.
     */
    static int execute(Object command, String[] args) {
        return new CommandLine(command).setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            if (error instanceof IllegalStateException || error instanceof TimeoutException) {
                commandLine.getErr().println("bench failed: " + error.getMessage());
                return 1;
            }
            throw error;
        }).execute(args);
    }
}
