package io.deskfleet.agent.logging;

import java.text.MessageFormat;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ResourceBundle;

/**
 * Backs {@link System#getLogger} with one line per event on stderr ({@code 2026-01-31T12:00:00.000 INFO text}).
 * Used instead of java.util.logging's console handler because that one is closed by its own shutdown hook, which
 * would swallow what the agent logs while it stops on SIGTERM. Registered in META-INF/services.
 */
public final class StderrLoggerFinder extends System.LoggerFinder {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new StderrLogger(name);
    }

    private record StderrLogger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                System.err.println(TIME.format(LocalDateTime.now()) + " " + level.getName() + " " + message
                        + (thrown == null ? "" : ": " + thrown));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                        (Throwable) null);
            }
        }
    }
}
