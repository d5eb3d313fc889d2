package io.deskfleet.controlplane.schedule;

import java.time.Instant;
import java.util.List;

/**
 * What one fire did, as its {@link TaskType} reports it: either an outcome per desktop (a power fire's), or the
 * execution task the fire started (EXECUTE_SCRIPT's), whose records are then the fire's.
 *
 * @param executeTaskId the execution task the fire started, else null
 * @param desktops      the outcome per desktop of a fire that started no execution
 */
public record FireOutcome(FireStatus status, int successNum, int failedNum, int skipNum, String executeTaskId,
                          List<DesktopOutcome> desktops) {

    public FireOutcome {
        desktops = List.copyOf(desktops);
    }

    /** One desktop of a fire; resultCode and failReason only when it failed. */
    public record DesktopOutcome(String desktopId, String desktopName, FireStatus status, String resultCode,
                                 String failReason, Instant at) {
    }

    /** A fire's outcome from its desktops': SKIP with none, FAIL if any failed, else SUCCESS. */
    public static FireOutcome perDesktop(List<DesktopOutcome> desktops) {
        int success = (int) desktops.stream().filter(d -> d.status() == FireStatus.SUCCESS).count();
        int failed = (int) desktops.stream().filter(d -> d.status() == FireStatus.FAIL).count();
        int skipped = desktops.size() - success - failed;
        FireStatus status = desktops.isEmpty() ? FireStatus.SKIP
                : failed > 0 ? FireStatus.FAIL : FireStatus.SUCCESS;
        return new FireOutcome(status, success, failed, skipped, null, desktops);
    }

    public static FireOutcome of(FireStatus status, String executeTaskId) {
        return new FireOutcome(status, 0, 0, 0, executeTaskId, List.of());
    }
}
