package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** The next {@code count} fire times of {@code cron} in {@code zone} after {@code after}, as ISO instants. */
    private static List<String> next(String cron, ZoneId zone, String after, int count) {
        CronSchedule schedule = new CronSchedule(cron, zone);
        List<String> out = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < count; i++) {
            Optional<Instant> n = schedule.nextAfter(t);
            if (n.isEmpty()) {
                break;
            }
            t = n.get();
            out.add(t.toString());
        }
        return out;
    }

    private static List<String> next(String cron, String after, int count) {
        return next(cron, ZoneOffset.UTC, after, count);
    }

    private static String next(String cron, String after) {
        return next(cron, after, 1).get(0);
    }

    private static ValidationException parseError(String cron) {
        return (ValidationException) catchThrowable(() -> new CronSchedule(cron, ZoneOffset.UTC));
    }

    @Test
    void everyFifteenMinutesIsStrictlyAfter() {
        assertThat(next("*/15 * * * *", "2026-03-10T10:07:30Z", 4))
                .containsExactly("2026-03-10T10:15:00Z", "2026-03-10T10:30:00Z", "2026-03-10T10:45:00Z", "2026-03-10T11:00:00Z");
        assertThat(next("*/15 * * * *", "2026-03-10T10:15:00Z")).as("strictly after").isEqualTo("2026-03-10T10:30:00Z");
        assertThat(next("*/15 * * * *", "2026-03-10T10:14:59.999Z")).isEqualTo("2026-03-10T10:15:00Z");
        assertThat(next("* * * * *", "2026-12-31T23:59:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void weekdaysSkipTheWeekend() {
        // 2026-03-13 is a Friday
        assertThat(next("0 9 * * MON-FRI", "2026-03-13T09:00:00Z", 2)).containsExactly("2026-03-16T09:00:00Z", "2026-03-17T09:00:00Z");
        assertThat(next("0 9 * * 1-5", "2026-03-13T08:59:00Z")).isEqualTo("2026-03-13T09:00:00Z");
        assertThat(next("0 9 * * mon-fri", "2026-03-14T12:00:00Z")).isEqualTo("2026-03-16T09:00:00Z");
    }

    @Test
    void firstOfTheMonthAcrossMonthAndYearEnds() {
        assertThat(next("0 0 1 * *", "2026-01-31T12:00:00Z", 3))
                .containsExactly("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
        assertThat(next("0 0 1 * *", "2026-12-31T23:59:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("0 0 31 * *", "2026-04-01T00:00:00Z", 3)).as("skips months without a 31st")
                .containsExactly("2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z");
        assertThat(next("59 23 31 12 *", "2026-01-01T00:00:00Z")).isEqualTo("2026-12-31T23:59:00Z");
    }

    @Test
    void leapDay() {
        assertThat(next("0 0 29 2 *", "2026-03-01T00:00:00Z", 2)).containsExactly("2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z");
        assertThat(next("0 0 29 2 *", "2096-03-01T00:00:00Z")).as("2100 is not a leap year").isEqualTo("2104-02-29T00:00:00Z");
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
        // 2026-03-01 is a Sunday; the 1st OR any Monday
        assertThat(next("0 12 1 * MON", "2026-03-01T12:00:00Z", 7)).containsExactly(
                "2026-03-02T12:00:00Z", "2026-03-09T12:00:00Z", "2026-03-16T12:00:00Z", "2026-03-23T12:00:00Z",
                "2026-03-30T12:00:00Z", "2026-04-01T12:00:00Z", "2026-04-06T12:00:00Z");
        // only one restricted: both must match
        assertThat(next("0 12 1 * *", "2026-03-01T12:00:00Z")).isEqualTo("2026-04-01T12:00:00Z");
        assertThat(next("0 12 * * MON", "2026-03-01T12:00:00Z")).isEqualTo("2026-03-02T12:00:00Z");
        // Vixie cron: a field starting with * counts as unrestricted, so this is days 1/11/21/31 AND Monday
        assertThat(next("0 12 */10 * MON", "2026-03-01T12:00:00Z")).isEqualTo("2026-05-11T12:00:00Z");
        // Friday the 13th, or any 13th, or any Friday
        assertThat(next("0 0 13 * 5", "2026-03-14T00:00:00Z", 3))
                .containsExactly("2026-03-20T00:00:00Z", "2026-03-27T00:00:00Z", "2026-04-03T00:00:00Z");
    }

    @Test
    void macros() {
        // 2026-03-11 is a Wednesday
        assertThat(next("@weekly", "2026-03-11T10:00:00Z", 2)).containsExactly("2026-03-15T00:00:00Z", "2026-03-22T00:00:00Z");
        assertThat(next("@yearly", "2026-03-11T10:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("@annually", "2026-03-11T10:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("@monthly", "2026-03-11T10:00:00Z")).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(next("@daily", "2026-03-11T10:00:00Z")).isEqualTo("2026-03-12T00:00:00Z");
        assertThat(next("@midnight", "2026-03-11T10:00:00Z")).isEqualTo("2026-03-12T00:00:00Z");
        assertThat(next("@hourly", "2026-03-11T10:00:00Z")).isEqualTo("2026-03-11T11:00:00Z");
        assertThat(next(" @DAILY ", "2026-03-11T10:00:00Z")).isEqualTo("2026-03-12T00:00:00Z");
    }

    @Test
    void listsRangesAndSteps() {
        assertThat(next("10-50/10 * * * *", "2026-03-11T10:00:00Z", 6)).containsExactly("2026-03-11T10:10:00Z",
                "2026-03-11T10:20:00Z", "2026-03-11T10:30:00Z", "2026-03-11T10:40:00Z", "2026-03-11T10:50:00Z", "2026-03-11T11:10:00Z");
        assertThat(next("5/20 * * * *", "2026-03-11T10:00:00Z", 4))
                .containsExactly("2026-03-11T10:05:00Z", "2026-03-11T10:25:00Z", "2026-03-11T10:45:00Z", "2026-03-11T11:05:00Z");
        assertThat(next("0 8-18/4 * * *", "2026-03-11T10:00:00Z", 3))
                .containsExactly("2026-03-11T12:00:00Z", "2026-03-11T16:00:00Z", "2026-03-12T08:00:00Z");
        assertThat(next("1,5,10 * * * *", "2026-03-11T10:05:00Z", 3))
                .containsExactly("2026-03-11T10:10:00Z", "2026-03-11T11:01:00Z", "2026-03-11T11:05:00Z");
        assertThat(next("0 0 1 jan,Jul *", "2026-03-11T10:00:00Z", 2)).containsExactly("2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z");
        assertThat(next("0 0 1 FEB-APR/2 *", "2026-03-11T10:00:00Z")).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(next("0 0 * * MON-FRI/2", "2026-03-11T10:00:00Z", 3)).as("Mon, Wed, Fri")
                .containsExactly("2026-03-13T00:00:00Z", "2026-03-16T00:00:00Z", "2026-03-18T00:00:00Z");
        assertThat(next("*/20,7 3 * * *", "2026-03-11T10:00:00Z", 4))
                .containsExactly("2026-03-12T03:00:00Z", "2026-03-12T03:07:00Z", "2026-03-12T03:20:00Z", "2026-03-12T03:40:00Z");
    }

    @Test
    void sundayIsZeroSevenOrSun() {
        String sunday = "2026-03-15T00:00:00Z";
        assertThat(next("0 0 * * 0", "2026-03-11T10:00:00Z")).isEqualTo(sunday);
        assertThat(next("0 0 * * 7", "2026-03-11T10:00:00Z")).isEqualTo(sunday);
        assertThat(next("0 0 * * sun", "2026-03-11T10:00:00Z")).isEqualTo(sunday);
        assertThat(next("0 0 * * 5-7", "2026-03-11T10:00:00Z", 4)).as("Fri, Sat, Sun")
                .containsExactly("2026-03-13T00:00:00Z", "2026-03-14T00:00:00Z", sunday, "2026-03-20T00:00:00Z");
        assertThat(next("0 0 * * 0-7", "2026-03-11T10:00:00Z")).isEqualTo("2026-03-12T00:00:00Z");
    }

    @Test
    void dstGapIsSkippedNotShifted() {
        // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z)
        assertThat(next("30 2 * * *", BERLIN, "2026-03-28T01:30:00Z", 2)).as("no 02:30 on the 29th")
                .containsExactly("2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z");
        assertThat(next("0 * * * *", BERLIN, "2026-03-28T23:30:00Z", 3)).as("01:00 CET, then 03:00 CEST")
                .containsExactly("2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z");
        assertThat(next("15 1-3 * * *", BERLIN, "2026-03-28T23:30:00Z", 3))
                .containsExactly("2026-03-29T00:15:00Z", "2026-03-29T01:15:00Z", "2026-03-29T23:15:00Z");
    }

    @Test
    void dstOverlapFiresOnceAtTheFirstOccurrence() {
        // Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00Z); 02:00-02:59 happens twice
        assertThat(next("30 2 * * *", BERLIN, "2026-10-24T00:30:00Z", 3))
                .containsExactly("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z");
        assertThat(next("*/30 * * * *", BERLIN, "2026-10-24T23:45:00Z", 5)).containsExactly(
                "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", // 02:00 and 02:30 CEST
                "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z", "2026-10-25T03:00:00Z"); // 03:00 CET onwards
        assertThat(next("*/30 * * * *", BERLIN, "2026-10-25T01:15:00Z", 1)).as("from within the second 02:xx")
                .containsExactly("2026-10-25T02:00:00Z");
    }

    @Test
    void agreesWithMinuteByMinuteEvaluationAroundDstAndMonthEnds() {
        record Case(String cron, Predicate<LocalDateTime> matches) {}
        List<Case> cases = List.of(
                new Case("* * * * *", t -> true),
                new Case("*/15 * * * *", t -> t.getMinute() % 15 == 0),
                new Case("30 2 * * *", t -> t.getMinute() == 30 && t.getHour() == 2),
                new Case("0 9 * * MON-FRI", t -> t.getMinute() == 0 && t.getHour() == 9 && t.getDayOfWeek().getValue() <= 5),
                new Case("0,45 */3 1 * SUN", t -> (t.getMinute() == 0 || t.getMinute() == 45) && t.getHour() % 3 == 0
                        && (t.getDayOfMonth() == 1 || t.getDayOfWeek() == DayOfWeek.SUNDAY)),
                new Case("5/20 1-3 28-31 * *", t -> t.getMinute() % 20 == 5 && t.getHour() >= 1 && t.getHour() <= 3
                        && t.getDayOfMonth() >= 28));
        List<Instant> windowStarts = List.of(Instant.parse("2026-03-27T00:00:00Z"), Instant.parse("2026-10-23T00:00:00Z"),
                Instant.parse("2028-02-26T00:00:00Z"), Instant.parse("2026-03-06T00:00:00Z"), Instant.parse("2026-10-30T00:00:00Z"));
        for (ZoneId zone : List.of(BERLIN, ZoneOffset.UTC, ZoneId.of("America/New_York"))) {
            for (Case c : cases) {
                CronSchedule schedule = new CronSchedule(c.cron(), zone);
                for (Instant start : windowStarts) {
                    List<Instant> expected = new ArrayList<>();
                    Instant end = start.plus(Duration.ofDays(5));
                    for (Instant i = start.plusSeconds(60); !i.isAfter(end); i = i.plusSeconds(60)) {
                        LocalDateTime local = LocalDateTime.ofInstant(i, zone);
                        // fires at the first instant that shows a matching wall time
                        if (c.matches().test(local) && ZonedDateTime.of(local, zone).toInstant().equals(i)) {
                            expected.add(i);
                        }
                    }
                    List<Instant> actual = new ArrayList<>();
                    for (Instant t = schedule.nextAfter(start).orElseThrow(); !t.isAfter(end);
                            t = schedule.nextAfter(t).orElseThrow()) {
                        actual.add(t);
                    }
                    assertThat(actual).as("%s in %s from %s", c.cron(), zone, start).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void impossibleExpressionsReturnEmptyQuickly() {
        long started = System.nanoTime();
        assertThat(new CronSchedule("0 0 30 2 *", ZoneOffset.UTC).nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(new CronSchedule("0 0 31 4,6,9,11 *", BERLIN).nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(new CronSchedule("* * 31 2 *", ZoneOffset.UTC).nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        assertThat(new CronSchedule("* * * * *", ZoneOffset.UTC).nextAfter(Instant.MAX)).isEmpty();
    }

    @Test
    void manyFireTimesAreCheap() {
        CronSchedule schedule = new CronSchedule("0 0 1 1 *", BERLIN);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            t = schedule.nextAfter(t).orElseThrow();
        }
        assertThat(t).as("midnight CET").isEqualTo(Instant.parse("3025-12-31T23:00:00Z"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void keepsTheExpressionForToString() {
        CronSchedule schedule = new CronSchedule("0 9 * * MON-FRI", BERLIN);
        assertThat(schedule).hasToString("0 9 * * MON-FRI");
        assertThat(schedule.expression()).isEqualTo("0 9 * * MON-FRI");
        assertThat(schedule.zone()).isEqualTo(BERLIN);
        assertThat(new CronSchedule("@weekly", BERLIN)).hasToString("@weekly");
        assertThat(schedule).isEqualTo(new CronSchedule("0 9 * * MON-FRI", BERLIN))
                .isNotEqualTo(new CronSchedule("0 9 * * MON-FRI", ZoneOffset.UTC));
    }

    @Test
    void parseErrorsSayWhichFieldAndWhatIsWrong() {
        assertThat(parseError("61 * * * *")).hasMessage("cron '61 * * * *': minute 61 is out of range 0-59");
        assertThat(parseError("* * *"))
                .hasMessage("cron '* * *': expected 5 fields (minute hour day-of-month month day-of-week), got 3");
        assertThat(parseError("0 0 * * * *")).hasMessageEndingWith("got 6");
        assertThat(parseError("")).hasMessageEndingWith("got 0");
        assertThat(parseError("*/0 * * * *")).hasMessage("cron '*/0 * * * *': minute step 0 in '*/0' must be at least 1");
        assertThat(parseError("*/x * * * *")).hasMessage("cron '*/x * * * *': minute step 'x' in '*/x' is not a number");
        assertThat(parseError("0 5-1 * * *"))
                .hasMessage("cron '0 5-1 * * *': hour range 5-1 is reversed (start must not be greater than end)");
        assertThat(parseError("0 0 * * FOO"))
                .hasMessage("cron '0 0 * * FOO': day-of-week has unknown name 'FOO' (expected 0-7 or SUN-SAT)");
        assertThat(parseError("0 0 1 FOO *"))
                .hasMessage("cron '0 0 1 FOO *': month has unknown name 'FOO' (expected 1-12 or JAN-DEC)");
        assertThat(parseError("x * * * *")).hasMessage("cron 'x * * * *': minute 'x' is not a number");
        assertThat(parseError("0 24 * * *")).hasMessage("cron '0 24 * * *': hour 24 is out of range 0-23");
        assertThat(parseError("0 0 0 * *")).hasMessage("cron '0 0 0 * *': day-of-month 0 is out of range 1-31");
        assertThat(parseError("0 0 32 * *")).hasMessage("cron '0 0 32 * *': day-of-month 32 is out of range 1-31");
        assertThat(parseError("0 0 1 13 *")).hasMessage("cron '0 0 1 13 *': month 13 is out of range 1-12");
        assertThat(parseError("0 0 * * 8")).hasMessage("cron '0 0 * * 8': day-of-week 8 is out of range 0-7");
        assertThat(parseError("99999999999999999999 * * * *")).hasMessageContaining("minute 99999999999999999999 is out of range 0-59");
        assertThat(parseError("0 0 * * FRI-SUN")).hasMessageContaining("day-of-week range FRI-SUN is reversed");
        assertThat(parseError("1,,2 * * * *")).hasMessage("cron '1,,2 * * * *': minute '1,,2' has an empty list element");
        assertThat(parseError("-1 * * * *")).hasMessage("cron '-1 * * * *': minute '-1' is missing a value");
        assertThat(parseError("1-2-3 * * * *")).hasMessage("cron '1-2-3 * * * *': minute range '1-2-3' has more than one '-'");
        assertThat(parseError("0 0 ? * *")).hasMessage("cron '0 0 ? * *': day-of-month '?' is not a number");
        assertThat(parseError("@reboot")).hasMessageStartingWith("cron '@reboot': unknown macro '@reboot'");
        assertThatThrownBy(() -> new CronSchedule(null, ZoneOffset.UTC)).isInstanceOf(ValidationException.class)
                .hasMessage("cron expression is missing");
    }

    @Test
    void parseFactoryBuildsACronScheduleInTheGivenZone() {
        assertThat(ScheduleSpec.parse("30 2 * * *", null, "Europe/Berlin")).isEqualTo(new CronSchedule("30 2 * * *", BERLIN));
        assertThat(ScheduleSpec.parse("0 0 * * *", null, null)).isEqualTo(new CronSchedule("0 0 * * *", ZoneOffset.UTC));
        assertThat(ScheduleSpec.parse("0 0 * * *", null, "")).isEqualTo(new CronSchedule("0 0 * * *", ZoneOffset.UTC));
        assertThat(ScheduleSpec.parse("0 9 * * *", null, "Europe/Berlin").nextAfter(Instant.parse("2026-07-01T00:00:00Z")))
                .contains(Instant.parse("2026-07-01T07:00:00Z"));
        assertThatThrownBy(() -> ScheduleSpec.parse("0 0 * * *", null, "Mars/Olympus")).isInstanceOf(ValidationException.class)
                .hasMessage("unknown time zone 'Mars/Olympus' (expected an IANA zone id such as 'Europe/Berlin', or 'UTC')");
        assertThatThrownBy(() -> ScheduleSpec.parse("61 * * * *", null, null)).isInstanceOf(ValidationException.class)
                .hasMessage("cron '61 * * * *': minute 61 is out of range 0-59");
    }
}
