package io.deskfleet.agent.power;

import io.deskfleet.agent.state.DurableFiles;
import io.deskfleet.agent.v1.PowerState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The simulated power state plus the ids of the most recent power actions, in {@code <state-dir>/power.state}.
 * The ids make a PowerAction that is redelivered after a reconnect a no-op instead of a second reboot; only the
 * last {@value #REMEMBERED_ACTIONS} are kept because redelivery only ever concerns the latest few.
 * The state is stored as its proto number, which agent.proto keeps forever; value names may change (as they did
 * when they got their enum's prefix), and a file from before then holds a name from {@link #NAMES_BEFORE_NUMBERS}.
 * Not thread-safe: used from the agent's event loop only.
 */
public final class PowerStore {
    static final int REMEMBERED_ACTIONS = 32;
    /** What files written before the number was stored hold. */
    static final Map<String, Integer> NAMES_BEFORE_NUMBERS = Map.of("RUNNING", 1, "SHUTOFF", 2, "HIBERNATED", 3);

    private final Path file;
    private PowerState state = PowerState.POWER_STATE_RUNNING;
    private final Deque<String> recentActions = new ArrayDeque<>();

    public PowerStore(Path stateDir) throws IOException {
        this.file = stateDir.resolve("power.state");
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty()) {
                state = parse(lines.get(0).trim());
            }
            lines.stream().skip(1).filter(l -> !l.isBlank()).forEach(recentActions::addLast);
        }
    }

    public PowerState state() {
        return state;
    }

    public boolean alreadyApplied(String actionId) {
        return !actionId.isEmpty() && recentActions.contains(oneLine(actionId));
    }

    /** Persists the new state together with the action that caused it (empty id: no action to remember). */
    public void apply(PowerState newState, String actionId) throws IOException {
        List<String> actions = new ArrayList<>(recentActions);
        if (!actionId.isEmpty()) {
            actions.add(oneLine(actionId));
            while (actions.size() > REMEMBERED_ACTIONS) {
                actions.remove(0);
            }
        }
        StringBuilder out = new StringBuilder(Integer.toString(newState.getNumber())).append('\n');
        actions.forEach(a -> out.append(a).append('\n'));
        DurableFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
        state = newState;
        recentActions.clear();
        recentActions.addAll(actions);
    }

    private static String oneLine(String actionId) {
        return actionId.replace('\n', ' ').replace('\r', ' ');
    }

    private static PowerState parse(String stored) throws IOException {
        Integer number = NAMES_BEFORE_NUMBERS.get(stored);
        PowerState state = null;
        try {
            state = PowerState.forNumber(number != null ? number : Integer.parseInt(stored));
        } catch (NumberFormatException e) {
            // Reported below.
        }
        if (state == null) {
            throw new IOException("unreadable power state in power.state: " + stored);
        }
        return state;
    }
}
