package io.deskfleet.controlplane.execution;

/**
 * Desktop counts of a task: success_num (all scripts succeeded), failed_num (FAILED, TIMEOUT, UNDELIVERABLE) and
 * skip_num (SKIPPED, CANCELLED). They add up to the target count once the task has finished.
 */
public record TaskCounts(int successNum, int failedNum, int skipNum) {
}
