package io.deskfleet.cli.output;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The terminal the CLI prints on, if any: Java cannot ask its width, so $COLUMNS, then stty, then 80. */
public final class Terminal {
    static final int DEFAULT_WIDTH = 80;

    private Terminal() {
    }

    /** The terminal's width in columns, or null when stdout is not a terminal (a pipe or a file). */
    public static Integer width() {
        if (System.console() == null) {
            return null;
        }
        Integer columns = positive(System.getenv("COLUMNS"));
        if (columns != null) {
            return columns;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && size.contains(" ")) {
                Integer width = positive(size.substring(size.indexOf(' ') + 1));
                if (width != null) {
                    return width;
                }
            }
        } catch (IOException e) {
            // no stty (e.g. Windows): the default below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_WIDTH;
    }

    static Integer positive(String text) {
        try {
            int value = text == null ? 0 : Integer.parseInt(text.strip());
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
