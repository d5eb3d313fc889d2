package io.deskfleet.agent.execution;

import io.deskfleet.agent.v1.Interpreter;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which interpreters this machine has, and how each one is started on a script file. */
public final class Interpreters {
    private final Set<Interpreter> available;
    private final String pwsh;

    private Interpreters(Set<Interpreter> available, String pwsh) {
        this.available = available;
        this.pwsh = pwsh;
    }

    /** Looks once, at startup: SHELL needs /bin/sh (not Windows), POWERSHELL needs pwsh on PATH, BAT needs Windows. */
    public static Interpreters detect() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Set<Interpreter> found = EnumSet.noneOf(Interpreter.class);
        if (!windows && Files.isExecutable(Path.of("/bin/sh"))) {
            found.add(Interpreter.INTERPRETER_SHELL);
        }
        String pwsh = findOnPath(windows ? "pwsh.exe" : "pwsh");
        if (pwsh != null) {
            found.add(Interpreter.INTERPRETER_POWERSHELL);
        }
        if (windows) {
            found.add(Interpreter.INTERPRETER_BAT);
        }
        return new Interpreters(found, pwsh);
    }

    public List<Interpreter> available() {
        return new ArrayList<>(available);
    }

    public boolean has(Interpreter interpreter) {
        return available.contains(interpreter);
    }

    /** Every script extension {@link #extension} gives. */
    static final List<String> EXTENSIONS = List.of(
            extension(Interpreter.INTERPRETER_SHELL), extension(Interpreter.INTERPRETER_POWERSHELL), extension(Interpreter.INTERPRETER_BAT));

    /** The interpreters insist on these: pwsh -File only runs .ps1, cmd.exe only runs .bat/.cmd as batch files. */
    static String extension(Interpreter interpreter) {
        return switch (interpreter) {
            case INTERPRETER_SHELL -> ".sh";
            case INTERPRETER_POWERSHELL -> ".ps1";
            case INTERPRETER_BAT -> ".bat";
            default -> throw new IllegalArgumentException("no interpreter " + interpreter);
        };
    }

    /** The script is always passed as a file argument, never spliced into a command line. */
    List<String> command(Interpreter interpreter, Path script) {
        String file = script.toAbsolutePath().toString();
        return switch (interpreter) {
            case INTERPRETER_SHELL -> List.of("/bin/sh", file);
            case INTERPRETER_POWERSHELL -> List.of(pwsh, "-NoProfile", "-NonInteractive", "-File", file);
            case INTERPRETER_BAT -> List.of("cmd.exe", "/c", file);
            default -> throw new IllegalArgumentException("no interpreter " + interpreter);
        };
    }

    private static String findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
