package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.agent.v1.InvocationStatus;
import io.deskfleet.api.execution.RecordStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepOutcomeTest {

    private static StepOutcome classify(InvocationStatus status, int exitCode, String detail) {
        return StepOutcome.of(InvocationResult.newBuilder().setInvocationId("i").setStatus(status)
                .setExitCode(exitCode).setDetail(detail).build(), 5);
    }

    @Test
    void exitCodes() {
        assertEquals(new StepOutcome(RecordStatus.SUCCESS, "0", null, 0), classify(InvocationStatus.INVOCATION_STATUS_EXITED, 0, ""));
        assertEquals(new StepOutcome(RecordStatus.FAILED, "3", "the script exited with code 3", 3),
                classify(InvocationStatus.INVOCATION_STATUS_EXITED, 3, ""));
        assertEquals(new StepOutcome(RecordStatus.FAILED, "-1", "the script exited with code -1", -1),
                classify(InvocationStatus.INVOCATION_STATUS_EXITED, -1, ""));
    }

    @Test
    void nonExitStatuses() {
        assertEquals(new StepOutcome(RecordStatus.TIMEOUT, "TIMEOUT",
                "killed after the execution timeout of 5 minute(s)", null), classify(InvocationStatus.INVOCATION_STATUS_TIMED_OUT, 0, ""));
        assertEquals(new StepOutcome(RecordStatus.CANCELLED, "CANCELLED", "stopped by user", null),
                classify(InvocationStatus.INVOCATION_STATUS_CANCELLED, 0, ""));
        assertEquals(new StepOutcome(RecordStatus.FAILED, "INTERPRETER_UNAVAILABLE", "no powershell on Linux", null),
                classify(InvocationStatus.INVOCATION_STATUS_INTERPRETER_UNAVAILABLE, 0, "no powershell on Linux"));
        assertEquals(new StepOutcome(RecordStatus.FAILED, "LAUNCH_FAILED", "the script could not be started", null),
                classify(InvocationStatus.INVOCATION_STATUS_LAUNCH_FAILED, 0, ""));
        assertEquals(new StepOutcome(RecordStatus.FAILED, "DESKTOP_NOT_RUNNING",
                "the desktop is shut off or hibernated", null), classify(InvocationStatus.INVOCATION_STATUS_DESKTOP_NOT_RUNNING, 0, " "));
        assertEquals(RecordStatus.FAILED, classify(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, 0, "").status());
        assertEquals("INTERRUPTED", classify(InvocationStatus.INVOCATION_STATUS_INTERRUPTED, 0, "").resultCode());
        assertEquals("UNKNOWN_STATUS", classify(InvocationStatus.INVOCATION_STATUS_UNSPECIFIED, 0, "").resultCode());
    }

    @Test
    void undeliverable() {
        assertEquals(new StepOutcome(RecordStatus.UNDELIVERABLE, "UNDELIVERABLE",
                        "the desktop was not connected to receive the command within 10 minute(s)", null),
                StepOutcome.undeliverable(Duration.ofMinutes(10)));
        assertEquals("the desktop was not connected to receive the command within 90 second(s)",
                StepOutcome.undeliverable(Duration.ofSeconds(90)).reason());
    }
}
