package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

class IntervalScheduleTest {

    private static Instant next(long seconds, String after) {
        return new IntervalSchedule(seconds).nextAfter(Instant.parse(after)).orElseThrow();
    }

    @Test
    void fireTimesAreMultiplesOfTheIntervalSinceTheEpoch() {
        assertThat(next(60, "2026-03-11T10:00:30Z")).isEqualTo(Instant.parse("2026-03-11T10:01:00Z"));
        assertThat(next(60, "2026-03-11T10:00:00Z")).as("strictly after").isEqualTo(Instant.parse("2026-03-11T10:01:00Z"));
        assertThat(next(60, "2026-03-11T09:59:59.999Z")).isEqualTo(Instant.parse("2026-03-11T10:00:00Z"));
        assertThat(next(3600, "2026-03-11T10:20:00Z")).isEqualTo(Instant.parse("2026-03-11T11:00:00Z"));
        assertThat(next(1, "2026-03-11T10:20:00.5Z")).isEqualTo(Instant.parse("2026-03-11T10:20:01Z"));
        // 7 seconds: 1773224400 = 2026-03-11T10:20:00Z is 253317771 * 7 + 3
        assertThat(next(7, "2026-03-11T10:20:00Z")).isEqualTo(Instant.ofEpochSecond(253317772L * 7));
        assertThat(next(7, "2026-03-11T10:20:00Z").getEpochSecond() % 7).isZero();
        assertThat(next(86_400 * 7, "2026-03-11T10:20:00Z")).as("weeks since Thursday 1970-01-01")
                .isEqualTo(Instant.parse("2026-03-12T00:00:00Z"));
        assertThat(next(10, "1969-12-31T23:59:55Z")).as("before the epoch").isEqualTo(Instant.EPOCH);
        assertThat(next(10, "1969-12-31T23:59:45Z")).isEqualTo(Instant.parse("1969-12-31T23:59:50Z"));
    }

    @Test
    void nextFireTimeDependsOnlyOnThePreviousOne() {
        IntervalSchedule schedule = new IntervalSchedule(90);
        Instant a = schedule.nextAfter(Instant.parse("2026-03-11T10:00:01Z")).orElseThrow();
        Instant b = schedule.nextAfter(Instant.parse("2026-03-11T10:01:29Z")).orElseThrow();
        assertThat(a).isEqualTo(b);
        Instant t = a;
        for (int i = 0; i < 100; i++) {
            Instant n = schedule.nextAfter(t).orElseThrow();
            assertThat(n).isEqualTo(t.plusSeconds(90));
            assertThat(new IntervalSchedule(90).nextAfter(t)).as("a fresh instance after a restart").contains(n);
            t = n;
        }
    }

    @Test
    void rejectsIntervalsBelowOneSecond() {
        assertThatThrownBy(() -> new IntervalSchedule(0)).isInstanceOf(ValidationException.class)
                .hasMessage("interval must be at least 1 second, got 0");
        assertThatThrownBy(() -> new IntervalSchedule(-5)).isInstanceOf(ValidationException.class)
                .hasMessage("interval must be at least 1 second, got -5");
        assertThatThrownBy(() -> ScheduleSpec.parse(null, 0L, null)).isInstanceOf(ValidationException.class)
                .hasMessage("interval must be at least 1 second, got 0");
    }

    @Test
    void hugeIntervalsAndInstantsBeyondTheRangeGiveEmpty() {
        assertThat(new IntervalSchedule(Long.MAX_VALUE).nextAfter(Instant.EPOCH)).isEmpty();
        assertThat(new IntervalSchedule(60).nextAfter(Instant.MAX)).isEmpty();
        assertThat(new IntervalSchedule(Long.MAX_VALUE).nextAfter(Instant.parse("1969-12-31T00:00:00Z"))).contains(Instant.EPOCH);
    }

    @Test
    void parseFactoryNeedsExactlyOneOfCronAndInterval() {
        assertThat(ScheduleSpec.parse(null, 300L, null)).isEqualTo(new IntervalSchedule(300));
        assertThat(ScheduleSpec.parse("", 300L, "Europe/Berlin")).as("blank cron counts as absent").isEqualTo(new IntervalSchedule(300));
        assertThat(ScheduleSpec.parse(null, 300L, "Europe/Berlin").nextAfter(Instant.parse("2026-03-11T10:02:00Z")))
                .as("the zone plays no part").contains(Instant.parse("2026-03-11T10:05:00Z"));
        assertThat(new IntervalSchedule(300)).hasToString("every 300 seconds");
        assertThatThrownBy(() -> ScheduleSpec.parse("0 * * * *", 300L, null)).isInstanceOf(ValidationException.class)
                .hasMessage("schedule has both a cron expression ('0 * * * *') and an interval (300 seconds); give exactly one");
        assertThatThrownBy(() -> ScheduleSpec.parse(null, null, null)).isInstanceOf(ValidationException.class)
                .hasMessage("schedule has neither a cron expression nor an interval; give exactly one");
        assertThatThrownBy(() -> ScheduleSpec.parse("  ", null, "UTC")).isInstanceOf(ValidationException.class)
                .hasMessage("schedule has neither a cron expression nor an interval; give exactly one");
        assertThatThrownBy(() -> ScheduleSpec.parse(null, 60L, "Nowhere/Special")).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("unknown time zone 'Nowhere/Special'");
    }
}
