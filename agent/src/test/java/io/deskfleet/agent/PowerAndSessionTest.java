package io.deskfleet.agent;

import io.deskfleet.agent.v1.AgentMessage;
import io.deskfleet.agent.v1.ControlMessage;
import io.deskfleet.agent.v1.Hello;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.agent.v1.PowerAction;
import io.deskfleet.agent.v1.PowerActionType;
import io.deskfleet.agent.v1.PowerState;
import io.deskfleet.agent.v1.SessionEventType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PowerAndSessionTest extends InProcessAgentTest {

    @Test
    void aStoppedDesktopRunsNothingUntilStarted() throws IOException {
        Path ran = stateDir.resolveSibling(stateDir.getFileName() + "-ran");
        startConnected(1);
        controlPlane.send(shell("inv-long", "sleep 300"));
        controlPlane.await(m -> m.hasStarted() && m.getStarted().getInvocationId().equals("inv-long"));

        controlPlane.send(power("stop-1", PowerActionType.POWER_ACTION_TYPE_STOP));
        assertEquals(PowerState.POWER_STATE_SHUTOFF, awaitPowerChange("stop-1"));
        assertEquals(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, controlPlane.awaitResult("inv-long").getStatus());

        controlPlane.send(shell("inv-while-off", "touch '" + ran + "'"));
        assertEquals(InvocationStatus.INVOCATION_STATUS_DESKTOP_NOT_RUNNING, controlPlane.awaitResult("inv-while-off").getStatus());
        assertFalse(Files.exists(ran));

        controlPlane.send(power("start-1", PowerActionType.POWER_ACTION_TYPE_START));
        assertEquals(PowerState.POWER_STATE_RUNNING, awaitPowerChange("start-1"));
        controlPlane.send(shell("inv-on", "touch '" + ran + "'"));
        assertEquals(InvocationStatus.INVOCATION_STATUS_EXITED, controlPlane.awaitResult("inv-on").getStatus());
        assertTrue(Files.exists(ran));
    }

    @Test
    void thePowerStateSurvivesARestart() throws IOException {
        Agent first = startConnected(1);
        controlPlane.send(power("hibernate-1", PowerActionType.POWER_ACTION_TYPE_HIBERNATE));
        assertEquals(PowerState.POWER_STATE_HIBERNATED, awaitPowerChange("hibernate-1"));
        first.shutdown();

        startConnected(2);
        assertEquals(PowerState.POWER_STATE_HIBERNATED, controlPlane.hellos().get(1).getPowerState());
    }

    @Test
    void rebootReconnectsWithANewBootIdAndThenReportsRunning() throws IOException {
        startConnected(1);
        Hello before = controlPlane.hellos().get(0);

        controlPlane.send(power("reboot-1", PowerActionType.POWER_ACTION_TYPE_REBOOT));

        Hello after = controlPlane.awaitHello(2);
        assertNotEquals(before.getBootId(), after.getBootId());
        assertEquals(PowerState.POWER_STATE_RUNNING, awaitPowerChange("reboot-1"));
        // Redelivered after the reconnect, the same action must not reboot again.
        controlPlane.send(power("reboot-1", PowerActionType.POWER_ACTION_TYPE_REBOOT));
        Waits.until(() -> controlPlane.messages().stream()
                .filter(m -> m.hasPowerStateChanged() && m.getPowerStateChanged().getActionId().equals("reboot-1"))
                .count() == 2 ? true : null, Duration.ofSeconds(5));
        sleep(1500);
        assertEquals(2, controlPlane.hellos().size());
    }

    @Test
    void anEndedUserSessionIsReportedOnce() throws IOException {
        startConnected(1);
        Path trigger = stateDir.resolve("simulate/session-ended");
        Files.createDirectories(trigger.getParent());
        Files.createFile(trigger);

        AgentMessage event = controlPlane.await(AgentMessage::hasSessionEvent);
        assertEquals(SessionEventType.SESSION_EVENT_TYPE_USER_SESSION_ENDED, event.getSessionEvent().getType());
        Waits.until(() -> Files.exists(trigger) ? null : true, Duration.ofSeconds(5));
        sleep(1500);
        assertEquals(1, controlPlane.messages().stream().filter(AgentMessage::hasSessionEvent).count());
    }

    private PowerState awaitPowerChange(String actionId) {
        return controlPlane.await(m -> m.hasPowerStateChanged()
                && m.getPowerStateChanged().getActionId().equals(actionId)).getPowerStateChanged().getPowerState();
    }

    private static ControlMessage power(String actionId, PowerActionType type) {
        return ControlMessage.newBuilder()
                .setPower(PowerAction.newBuilder().setActionId(actionId).setAction(type)).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
