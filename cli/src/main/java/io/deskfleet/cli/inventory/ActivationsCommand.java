package io.deskfleet.cli.inventory;

import io.deskfleet.api.inventory.Activation;
import io.deskfleet.api.inventory.CreateActivationRequest;
import io.deskfleet.cli.Session;
import io.deskfleet.cli.http.ApiClient;
import io.deskfleet.cli.output.OutputOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "activations", description = "Agent activations: 'activations create' lets agents register into a pool.",
        subcommands = ActivationsCommand.Create.class)
public final class ActivationsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: create");
    }

    @Command(name = "create", description = {
            "Creates an activation for a pool and prints its id and code as shell assignments, for "
                    + "eval \"$(deskfleet activations create --pool \"$POOL\")\": ACTIVATION_ID and ACTIVATION_CODE.",
            "The code is shown only now (the control plane keeps its hash); --output json prints the API's answer."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        OutputOptions output;

        @Option(names = "--pool", required = true, paramLabel = "POOL_ID")
        String poolId;

        @Option(names = "--registration-limit", paramLabel = "N",
                description = "How many agents may register with it, 1-10000 (default 1).")
        Integer registrationLimit;

        @Option(names = "--expires-in-hours", paramLabel = "HOURS", description = "1-720 (default 24).")
        Integer expiresInHours;

        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            Session session = Session.current();
            ApiClient.Response response = session.api().post(session.path("/agent-activations"),
                    new CreateActivationRequest(poolId, registrationLimit, expiresInHours, description));
            PrintWriter out = spec.commandLine().getOut();
            if (output.printedAsJson(response.body(), out)) {
                return 0;
            }
            Activation activation = response.as(Activation.class);
            out.println("ACTIVATION_ID=" + quoted(activation.activationId()));
            out.println("ACTIVATION_CODE=" + quoted(activation.activationCode()));
            out.println("# for up to " + activation.registrationLimit() + " agents of pool " + activation.poolId()
                    + ", until " + activation.expiresAt() + "; the code is not shown again");
            return 0;
        }

        /** Single-quoted for a POSIX shell, so eval assigns the value as is, whatever it holds. */
        static String quoted(String value) {
            return "'" + value.replace("'", "'\\''") + "'";
        }
    }
}
