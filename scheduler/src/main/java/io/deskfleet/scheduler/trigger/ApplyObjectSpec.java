package io.deskfleet.scheduler.trigger;

/** One contract ApplyObject as received ({@code object_type}, {@code object_id}); either may be null. */
public record ApplyObjectSpec(String objectType, String objectId) {
}
