package io.deskfleet.scheduler;

import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of {@link MisfirePolicy#decide}.
 *
 * @param action        run or skip
 * @param scheduledFire the scheduled instant this decision is about: the fire that runs for FIRE, the persisted
 *                      due fire for SKIP. Use it as the execution record's identity (task id + scheduled fire)
 *                      so that a second scheduler node deciding the same fire cannot insert a duplicate.
 * @param nextFire      the fire to persist as the task's next one; strictly after {@code now}, empty when the
 *                      schedule has ended
 */
public record MisfireDecision(MisfireAction action, Instant scheduledFire, Optional<Instant> nextFire) {
}
