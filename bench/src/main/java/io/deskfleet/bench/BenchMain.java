package io.deskfleet.bench;

import io.deskfleet.bench.swarm.SwarmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of bench.jar: `run` measures a fresh control plane, `swarm` loads one that is already running. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchRunner.class, SwarmCommand.class},
        description = "Deskfleet load benchmark.")
public final class BenchMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: run or swarm");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
