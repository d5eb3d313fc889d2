package io.deskfleet.cli.execution;

import io.deskfleet.cli.http.ApiError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterruptionTest {
    final List<String> said = new ArrayList<>();
    final List<Integer> exits = new ArrayList<>();
    int stops;

    Interruption interruption(Interruption.Mode mode, String answer) {
        return new Interruption("t1", mode, question -> {
            said.add("? " + question);
            return answer;
        }, () -> stops++, said::add, exits::add);
    }

    @Test
    void onATerminalYesStopsTheTaskAndFollowingGoesOn() {
        interruption(Interruption.Mode.ASK, "y").signalled(true);
        assertEquals(1, stops);
        assertEquals(List.of(), exits);
        assertEquals("? Stop task t1 on every desktop? [y/N] ", said.get(0));
    }

    @Test
    void onATerminalAnythingButYesLeavesTheTaskRunningAndExits130() {
        for (String answer : new String[] {"", "n", "no", null}) {
            exits.clear();
            interruption(Interruption.Mode.ASK, answer).signalled(true);
            assertEquals(0, stops, answer);
            assertEquals(List.of(130), exits, answer);
        }
        assertTrue(said.get(said.size() - 1).contains("Task t1 goes on; 'deskfleet stop t1' stops it"), said.toString());
    }

    @Test
    void stopOnInterruptStopsWithoutAskingAndAgainExits() {
        Interruption interruption = interruption(Interruption.Mode.STOP, null);
        interruption.signalled(true);
        assertEquals(1, stops);
        assertTrue(said.stream().noneMatch(s -> s.startsWith("?")), said.toString());
        assertEquals(List.of(), exits);
        interruption.signalled(true);
        assertEquals(1, stops, "a second Ctrl-C does not stop again");
        assertEquals(List.of(130), exits);
    }

    @Test
    void withoutATerminalOrOnSigtermNobodyIsAskedAndTheTaskGoesOn() {
        interruption(Interruption.Mode.LEAVE, "y").signalled(true);
        interruption(Interruption.Mode.ASK, "y").signalled(false);
        assertEquals(0, stops);
        assertEquals(List.of(130, 130), exits);
        assertTrue(said.stream().noneMatch(s -> s.startsWith("?")), said.toString());
    }

    @Test
    void aRefusedStopIsShownAndFollowingGoesOn() {
        Interruption interruption = new Interruption("t1", Interruption.Mode.STOP, q -> null, () -> {
            throw new ApiError(409, "WKS.00210409", "Task t1 has finished.", true);
        }, said::add, exits::add);
        interruption.signalled(true);
        assertEquals(List.of(), exits);
        assertEquals("Could not stop task t1: WKS.00210409: Task t1 has finished.", said.get(said.size() - 1));
    }
}
