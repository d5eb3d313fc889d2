package io.deskfleet.controlplane.execution;

import io.deskfleet.agent.v1.InvocationResult;
import io.deskfleet.api.execution.RecordStatus;

import java.time.Duration;

/**
 * How one step ended, as stored on its record: the status, result_code (the exit code as text when the process
 * exited, otherwise a constant such as "TIMEOUT"), a human reason (null on success) and exit_code (only when the
 * process exited).
 */
public record StepOutcome(RecordStatus status, String resultCode, String reason, Integer exitCode) {

    /**
     * Classifies an agent's result. {@code timeoutMinutes} is the task's execution_timeout, for the reason text; 0
     * where it is not at hand (a late result of a task the engine no longer runs).
     */
    public static StepOutcome of(InvocationResult result, int timeoutMinutes) {
        String detail = result.getDetail().isBlank() ? null : result.getDetail();
        return switch (result.getStatus()) {
            case INVOCATION_STATUS_EXITED -> result.getExitCode() == 0
                    ? new StepOutcome(RecordStatus.SUCCESS, "0", null, 0)
                    : new StepOutcome(RecordStatus.FAILED, Integer.toString(result.getExitCode()),
                    "the script exited with code " + result.getExitCode(), result.getExitCode());
            case INVOCATION_STATUS_TIMED_OUT -> new StepOutcome(RecordStatus.TIMEOUT, "TIMEOUT", timeoutMinutes > 0
                    ? "killed after the execution timeout of " + timeoutMinutes + " minute(s)"
                    : "killed after the execution timeout", null);
            case INVOCATION_STATUS_CANCELLED -> stopped();
            case INVOCATION_STATUS_INTERPRETER_UNAVAILABLE -> failed("INTERPRETER_UNAVAILABLE",
                    detail, "the desktop has no interpreter for this script type");
            case INVOCATION_STATUS_LAUNCH_FAILED -> failed("LAUNCH_FAILED", detail, "the script could not be started");
            case INVOCATION_STATUS_DESKTOP_NOT_RUNNING -> failed("DESKTOP_NOT_RUNNING", detail,
                    "the desktop is shut off or hibernated");
            case INVOCATION_STATUS_INTERRUPTED -> failed("INTERRUPTED", detail,
                    "the agent stopped while the script ran; it is not run again");
            case INVOCATION_STATUS_UNSPECIFIED, UNRECOGNIZED -> failed("UNKNOWN_STATUS", detail,
                    "the agent reported a status this control plane does not know");
        };
    }

    /**
     * The command never reached the desktop: it was not connected during the whole delivery window, so no stream
     * ever took the command.
     */
    public static StepOutcome undeliverable(Duration deliveryWindow) {
        return new StepOutcome(RecordStatus.UNDELIVERABLE, "UNDELIVERABLE",
                "the desktop was not connected to receive the command within " + describe(deliveryWindow), null);
    }

    /**
     * The command was sent on a stream that may have delivered it (or a restarted control plane cannot tell), and the
     * desktop reported neither its start nor a result within the delivery window.
     */
    public static StepOutcome unknown(Duration deliveryWindow) {
        return new StepOutcome(RecordStatus.UNKNOWN, "NO_REPORT", "the command may have reached the desktop, which"
                + " reported neither its start nor a result within " + describe(deliveryWindow), null);
    }

    /** The desktop started the command and sent no result within the execution timeout plus the result grace. */
    public static StepOutcome noResult() {
        return new StepOutcome(RecordStatus.TIMEOUT, "TIMEOUT",
                "no result from the desktop within the execution timeout", null);
    }

    /** A user's stop ended the step: the agent killed it, or it never reached the desktop. */
    public static StepOutcome stopped() {
        return new StepOutcome(RecordStatus.CANCELLED, "CANCELLED", TaskProgress.REASON_STOPPED, null);
    }

    private static String describe(Duration window) {
        return window.toSecondsPart() == 0 ? window.toMinutes() + " minute(s)" : window.toSeconds() + " second(s)";
    }

    private static StepOutcome failed(String code, String detail, String fallback) {
        return new StepOutcome(RecordStatus.FAILED, code, detail != null ? detail : fallback, null);
    }
}
