package io.deskfleet.controlplane.startup;

import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.runtime.Micronaut;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a start that failed on a taken port into one line that names the port and the variable that moves it,
 * printed last on stderr, instead of a stack trace that hides it. Micronaut maps startup failures to exit codes by
 * the failure's exact class: the REST server's bind fails as a {@link ServerStartupException}, the agent server's
 * (a context bean) as a {@link BeanInstantiationException} around our {@link PortInUseException}.
 */
public final class StartupFailures {
    /** Micronaut's own message for the REST port, "Unable to start Micronaut server on *:8080". */
    private static final Pattern REST_PORT = Pattern.compile("server on .*:(\\d+)");

    private StartupFailures() {
    }

    public static Micronaut explainPortsInUse(Micronaut micronaut) {
        return micronaut.mapError(ServerStartupException.class, exitCode())
                .mapError(BeanInstantiationException.class, exitCode());
    }

    private static <T extends Throwable> Function<T, Integer> exitCode() {
        return failure -> {
            Optional<String> explained = explain(failure);
            if (explained.isPresent()) {
                System.err.println(explained.get());
                System.err.flush();
                // Micronaut would log the whole stack trace after this line; the line is all there is to say. The
                // context is already closed.
                System.exit(1);
            }
            return 1;
        };
    }

    /** The one-line explanation when a taken port made the start fail. */
    public static Optional<String> explain(Throwable failure) {
        String restPort = "8080";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PortInUseException || t instanceof StartRefused) {
                return Optional.of(t.getMessage());
            }
            Matcher m = REST_PORT.matcher(String.valueOf(t.getMessage()));
            if (t instanceof ServerStartupException && m.find()) {
                restPort = m.group(1);
            }
        }
        return PortInUseException.isAddressInUse(failure) && failure instanceof ServerStartupException
                ? Optional.of(PortInUseException.message("REST", restPort, "MICRONAUT_SERVER_PORT"))
                : Optional.empty();
    }
}
