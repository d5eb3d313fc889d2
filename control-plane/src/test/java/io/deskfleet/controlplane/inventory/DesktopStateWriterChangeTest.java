package io.deskfleet.controlplane.inventory;

import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.api.inventory.DesktopStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesktopStateWriterChangeTest {

    @Test
    void laterFieldsWinAndUnsetFieldsKeepEarlierOnes() {
        Instant t1 = Instant.parse("2030-01-01T00:00:00Z");
        Instant t2 = t1.plusSeconds(5);
        var connected = new DesktopStateWriter.Change(t1, true, LoginStatus.CONNECTED, DesktopStatus.ACTIVE, "1.0",
                "boot", "SHELL");
        var heartbeat = new DesktopStateWriter.Change(t2, null, null, null, null, null, null);
        var gone = new DesktopStateWriter.Change(null, false, LoginStatus.DISCONNECTED, null, null, null, null);

        var merged = connected.then(heartbeat).then(gone);

        assertEquals(new DesktopStateWriter.Change(t2, false, LoginStatus.DISCONNECTED, DesktopStatus.ACTIVE, "1.0",
                "boot", "SHELL"), merged);
    }

    @Test
    void onlyAChangeWithNothingButAHeartbeatMayWaitForTheHeartbeatFlush() {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        var heartbeat = new DesktopStateWriter.Change(t, null, null, null, null, null, null);
        var gone = new DesktopStateWriter.Change(null, false, LoginStatus.DISCONNECTED, null, null, null, null);

        assertTrue(heartbeat.heartbeatOnly());
        assertTrue(heartbeat.then(heartbeat).heartbeatOnly());
        assertFalse(heartbeat.then(gone).heartbeatOnly());
        assertFalse(gone.then(heartbeat).heartbeatOnly());
    }

    @Test
    void powerStatesMapToDesktopStatus() {
        assertEquals(DesktopStatus.ACTIVE, DesktopStateWriter.statusOf(PowerState.POWER_STATE_RUNNING));
        assertEquals(DesktopStatus.SHUTOFF, DesktopStateWriter.statusOf(PowerState.POWER_STATE_SHUTOFF));
        assertEquals(DesktopStatus.HIBERNATED, DesktopStateWriter.statusOf(PowerState.POWER_STATE_HIBERNATED));
        assertNull(DesktopStateWriter.statusOf(PowerState.POWER_STATE_UNSPECIFIED));
    }
}
