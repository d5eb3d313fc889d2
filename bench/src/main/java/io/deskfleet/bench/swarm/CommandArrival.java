package io.deskfleet.bench.swarm;

/**
 * A RunCommand reaching a simulated agent for the first time.
 *
 * @param arrivedNanos {@link System#nanoTime()} when the message was handed to the agent, comparable with a
 *                     nanoTime taken in the same JVM before the REST call that caused it
 */
public record CommandArrival(String desktopId, String invocationId, long arrivedNanos) {
}
