package io.deskfleet.cli.execution;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routes SIGINT (Ctrl-C) and SIGTERM to an {@link Interruption} while a task is followed, and gives them back to
 * the JVM's own handlers afterwards. sun.misc.Signal (module jdk.unsupported) is the JDK's only way to catch a signal without
 * exiting. A signal the process inherited as ignored (a background job of a non-interactive shell) stays ignored:
 * the JVM does not install a handler for it.
 */
final class SignalTrap implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    static SignalTrap install(Interruption interruption) {
        SignalTrap trap = new SignalTrap();
        trap.handle("INT", () -> interruption.signalled(true));
        trap.handle("TERM", () -> interruption.signalled(false));
        return trap;
    }

    private void handle(String name, Runnable action) {
        Signal signal = new Signal(name);
        try {
            previous.put(signal, Signal.handle(signal, s -> action.run()));
        } catch (IllegalArgumentException e) {
            // the JVM keeps this signal (e.g. -Xrs): it then does what it always does
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
