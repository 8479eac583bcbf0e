package org.aiflow.scheduler;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import org.aiflow.api.error.ValidationException;

/**
 * When a time-based schedule fires: either a {@link CronSchedule} (5-field Unix cron evaluated in a
 * time zone) or an {@link IntervalSchedule} (every N seconds, aligned to the epoch).
 *
 * <p>{@link #nextAfter} is a pure function of its argument, so a scheduler that persists the next
 * fire time computes the same sequence again after a restart.
 */
public sealed interface ScheduleSpec permits CronSchedule, IntervalSchedule {

    /**
     * The first fire time strictly after {@code after}, or empty if there is none (a cron that can
     * never match, such as {@code 0 0 30 2 *}, or one beyond the search bound of
     * {@link CronSchedule}).
     */
    Optional<Instant> nextAfter(Instant after);

    /**
     * Builds a schedule from its configuration: exactly one of {@code cron} and
     * {@code intervalSeconds} must be given (a {@code null} or blank cron counts as not given).
     * {@code timeZone} is an IANA zone id such as {@code Europe/Berlin} (or an offset such as
     * {@code +02:00}); {@code null} or empty means UTC. It is validated for both kinds but only a
     * cron schedule uses it.
     *
     * @throws ValidationException if both or neither are given, the time zone is unknown, the cron
     *     expression is malformed or the interval is less than one second
     */
    static ScheduleSpec parse(String cron, Long intervalSeconds, String timeZone) {
        boolean hasCron = cron != null && !cron.isBlank();
        boolean hasInterval = intervalSeconds != null;
        if (hasCron && hasInterval) {
            throw new ValidationException("schedule has both a cron expression ('" + cron + "') and an interval ("
                    + intervalSeconds + " seconds); give exactly one");
        }
        if (!hasCron && !hasInterval) {
            throw new ValidationException("schedule has neither a cron expression nor an interval; give exactly one");
        }
        ZoneId zone = zone(timeZone);
        return hasCron ? new CronSchedule(cron, zone) : new IntervalSchedule(intervalSeconds);
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new ValidationException("unknown time zone '" + timeZone
                    + "' (expected an IANA zone id such as 'Europe/Berlin', or 'UTC')");
        }
    }
}
