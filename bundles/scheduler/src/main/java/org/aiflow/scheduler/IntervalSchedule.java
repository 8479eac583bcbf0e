package org.aiflow.scheduler;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.aiflow.api.error.ValidationException;

/**
 * Fires every {@code seconds} seconds (at least 1), aligned to the epoch: the fire times are exactly
 * the instants that are whole multiples of {@code seconds} after 1970-01-01T00:00Z, whatever the
 * time zone and whenever the schedule was created. The next fire time therefore depends only on
 * the previous one, so a scheduler that persisted it computes the same sequence after a crash.
 */
public record IntervalSchedule(long seconds) implements ScheduleSpec {

    /** @throws ValidationException if {@code seconds} is less than 1 */
    public IntervalSchedule {
        if (seconds < 1) {
            throw new ValidationException("interval must be at least 1 second, got " + seconds);
        }
    }

    /** The first multiple of {@link #seconds} since the epoch strictly after {@code after}. */
    @Override
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        try {
            long next = Math.addExact(Math.floorDiv(after.getEpochSecond(), seconds) * seconds, seconds);
            return Optional.of(Instant.ofEpochSecond(next));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty(); // beyond Instant.MAX
        }
    }

    @Override
    public String toString() {
        return "every " + seconds + " seconds";
    }
}
