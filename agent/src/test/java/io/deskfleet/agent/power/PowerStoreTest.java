package io.deskfleet.agent.power;

import io.deskfleet.agent.v1.PowerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** power.state survives a restart and an upgrade from an agent that wrote the state's name. */
class PowerStoreTest {
    @TempDir
    Path dir;

    @Test
    void aStoredStateAndItsActionsSurviveARestart() throws IOException {
        new PowerStore(dir).apply(PowerState.POWER_STATE_HIBERNATED, "action-1");
        assertEquals("3", Files.readAllLines(dir.resolve("power.state")).get(0), "the proto number, not a name");
        PowerStore restarted = new PowerStore(dir);
        assertEquals(PowerState.POWER_STATE_HIBERNATED, restarted.state());
        assertTrue(restarted.alreadyApplied("action-1"));
    }

    @Test
    void aFileFromAnAgentThatStoredNamesIsStillRead() throws IOException {
        Files.writeString(dir.resolve("power.state"), "SHUTOFF\naction-old\n");
        PowerStore upgraded = new PowerStore(dir);
        assertEquals(PowerState.POWER_STATE_SHUTOFF, upgraded.state());
        assertTrue(upgraded.alreadyApplied("action-old"));
    }

    @Test
    void anUnreadableStateIsReportedNotGuessed() throws IOException {
        Files.writeString(dir.resolve("power.state"), "ASLEEP\n");
        IOException e = assertThrows(IOException.class, () -> new PowerStore(dir));
        assertTrue(e.getMessage().contains("ASLEEP"), e.getMessage());
    }
}
