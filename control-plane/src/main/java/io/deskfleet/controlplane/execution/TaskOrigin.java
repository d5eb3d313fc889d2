package io.deskfleet.controlplane.execution;

/**
 * Where a task came from, stored with it for the listings (issue 26); nothing that runs it reads these.
 *
 * @param createdBy  the user who started or retried it, {@code system} for a scheduled fire; null for tasks stored
 *                   before V57
 * @param desktopTag the {@code key=value} tag it was started on, else null
 * @param retryOf    the task it retries, else null
 */
public record TaskOrigin(String createdBy, String desktopTag, String retryOf) {
}
