package io.deskfleet.api.execution;

/**
 * A validated, normalized execution request: every body (desktop pool, generic, by tag) ends up as one of these.
 * What needs the database (scripts exist, desktops belong to the pool) is checked when the target is resolved.
 *
 * @param executionTimeoutMinutes per script, 1-600
 */
public record ExecutionRequest(ExecutionTarget target, ExecutionPayload payload, GraySpec gray,
                               int executionTimeoutMinutes, PreStart preStart, PostFinish postFinish,
                               MaxConcurrency maxConcurrency, boolean dryRun) {
}
