package io.deskfleet.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * gRPC logs some per-call failures itself, through java.util.logging, each with a stack trace: a Register whose body
 * is not a protobuf fails while the server parses it, and io.grpc.internal.SerializingExecutor logs that as SEVERE
 * "Exception while executing runnable". One client sending garbage in a loop would fill the log. This filter on
 * gRPC's server-side loggers lets the first occurrence of a kind through in full, then one line a minute with the
 * count of those not logged. A kind is logger, level and exception chain (the message names a runnable by identity).
 */
final class GrpcLogLimit implements Filter {
    /**
     * Held here for good: JUL references loggers weakly, and a logger collected before gRPC's class asks for it
     * would come back without its filter.
     */
    private static final List<Logger> LOGGERS = List.of("io.grpc.internal.SerializingExecutor",
            "io.grpc.internal.ServerCallImpl", "io.grpc.internal.ServerImpl").stream().map(Logger::getLogger).toList();

    private final RepeatedLog repeats;

    private GrpcLogLimit(Clock clock) {
        this.repeats = new RepeatedLog(clock, Duration.ofMinutes(1), 256);
    }

    /** Puts a new limit on gRPC's server-side loggers, replacing one installed before. */
    static void install(Clock clock) {
        GrpcLogLimit limit = new GrpcLogLimit(clock);
        LOGGERS.forEach(logger -> logger.setFilter(limit));
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        long suppressed = repeats.admit(record.getLoggerName() + " " + record.getLevel() + " " + kind(record));
        if (suppressed <= 0) {
            return suppressed == 0;
        }
        // A repeat after the interval: one line, the stack trace was logged the first time.
        record.setMessage(record.getMessage() + ": " + record.getThrown() + repeats.repeats(suppressed));
        record.setThrown(null);
        return true;
    }

    private static String kind(LogRecord record) {
        StringBuilder kind = new StringBuilder();
        for (Throwable t = record.getThrown(); t != null && kind.length() < 1_000; t = t.getCause()) {
            kind.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" / ");
            if (t.getCause() == t) {
                break;
            }
        }
        return kind.length() > 0 ? kind.toString() : String.valueOf(record.getMessage());
    }
}
