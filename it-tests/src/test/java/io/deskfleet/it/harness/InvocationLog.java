package io.deskfleet.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each desktop really ran, written by the commands themselves: a command's working directory is
 * {@code <state-dir>/invocations/<invocation id>/work}, so it can append its own invocation id (the record id) to
 * {@code <state-dir>/ran.log}. An id twice in the logs is a command that ran twice.
 */
public final class InvocationLog {
    private static final String FILE = "ran.log";

    private InvocationLog() {
    }

    /** Shell that appends the running invocation's id to its agent's log. */
    public static String appendId() {
        return "basename \"$(dirname \"$PWD\")\" >> ../../../" + FILE;
    }

    public static List<String> of(AgentProcess agent) {
        Path log = agent.stateDir().resolve(FILE);
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times each invocation id ran, over all the agents. */
    public static Map<String, Integer> runs(Collection<AgentProcess> agents) {
        Map<String, Integer> runs = new HashMap<>();
        for (AgentProcess agent : agents) {
            of(agent).forEach(id -> runs.merge(id, 1, Integer::sum));
        }
        return runs;
    }

    /** Ids that ran more than once. */
    public static List<String> repeated(Map<String, Integer> runs) {
        List<String> repeated = new ArrayList<>();
        runs.forEach((id, n) -> {
            if (n > 1) {
                repeated.add(id + " x" + n);
            }
        });
        return repeated;
    }
}
