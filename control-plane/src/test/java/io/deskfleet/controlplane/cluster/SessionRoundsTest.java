package io.deskfleet.controlplane.cluster;

import io.deskfleet.agent.v1.Hello;
import io.deskfleet.controlplane.agentlink.StreamRegistry;
import io.deskfleet.controlplane.cluster.SessionRegistry.Opening;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SessionRoundsTest {

    @Test
    void aDesktopSayingHelloTwiceInOneBatchIsRecordedInTwoRoundsInOrder() {
        Opening a1 = opening("a", "boot-1");
        Opening b1 = opening("b", "boot-1");
        Opening a2 = opening("a", "boot-2");
        Opening c1 = opening("c", "boot-1");
        Opening a3 = opening("a", "boot-3");
        Opening b2 = opening("b", "boot-2");

        List<List<Opening>> rounds = SessionRegistry.rounds(List.of(a1, b1, a2, c1, a3, b2));

        assertEquals(List.of(List.of(a1, b1, c1), List.of(a2, b2), List.of(a3)), rounds,
                "each round names a desktop once, and its later Hellos come in later rounds (higher epochs)");
    }

    @Test
    void aBatchOfDistinctDesktopsIsOneRound() {
        List<Opening> batch = List.of(opening("a", "x"), opening("b", "x"), opening("c", "x"));

        assertEquals(List.of(batch), SessionRegistry.rounds(batch));
    }

    @Test
    void aStreamGoneBeforeItsTurnIsNotRecordedAndItsCallerIsToldSo() {
        Opening stays = opening("a", "boot-1");
        Opening gaveUp = new Opening("b", Hello.newBuilder().setDesktopId("b").build(), () -> true,
                new CompletableFuture<>());

        assertEquals(List.of(stays), SessionRegistry.live(List.of(stays, gaveUp)));
        assertEquals(StreamRegistry.NOT_RECORDED, gaveUp.epoch().getNow(0L),
                "answered at once, without a write that would take the desktop from the replica it went on to");
        assertFalse(stays.epoch().isDone(), "answered by the write");
    }

    private static Opening opening(String desktopId, String bootId) {
        return new Opening(desktopId, Hello.newBuilder().setDesktopId(desktopId).setBootId(bootId).build(),
                () -> false, new CompletableFuture<>());
    }
}
