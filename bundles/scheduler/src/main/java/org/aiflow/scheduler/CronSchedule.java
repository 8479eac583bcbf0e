package org.aiflow.scheduler;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.aiflow.api.error.ValidationException;

/**
 * A standard 5-field Unix cron schedule (cron(5), as used by Airflow), evaluated in a time zone.
 *
 * <p>Grammar: {@code minute hour day-of-month month day-of-week}, separated by whitespace, with
 * ranges minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or {@code JAN}-{@code DEC},
 * day-of-week 0-7 or {@code SUN}-{@code SAT} (0 and 7 are both Sunday; names are
 * case-insensitive). Each field is a comma-separated list of items; an item is {@code *}, a value
 * {@code 5}, a range {@code 1-5}, or one of those with a step: {@code *}{@code /15},
 * {@code 10-50/10}, {@code 5/10} (from 5 to the field's maximum). Macros: {@code @yearly} =
 * {@code @annually} = {@code 0 0 1 1 *}, {@code @monthly} = {@code 0 0 1 * *}, {@code @weekly} =
 * {@code 0 0 * * 0}, {@code @daily} = {@code @midnight} = {@code 0 0 * * *}, {@code @hourly} =
 * {@code 0 * * * *}. Seconds are always 0.
 *
 * <p>Day rule (Vixie cron): if both day-of-month and day-of-week are restricted, a day matches
 * when <em>either</em> matches; otherwise both must. As in Vixie cron a field counts as
 * unrestricted when it starts with {@code *}, so {@code 0 0 *}{@code /10 * MON} means "days 1, 11,
 * 21, 31 that are Mondays" while {@code 0 0 1 * MON} means "the 1st, and every Monday".
 *
 * <p>Time zone: fields match the wall-clock time in {@link #zone()}. A wall time that does not
 * exist (DST gap, e.g. 02:30 when clocks jump from 02:00 to 03:00) is skipped, not shifted; a wall
 * time that occurs twice (DST overlap) fires once, at its first occurrence.
 *
 * <p>{@link #nextAfter} skips whole months, days and hours that cannot match and searches at most
 * 10 years ahead (enough for Feb 29 across a non-leap century year); beyond
 * that, or for an expression that can never match such as {@code 0 0 30 2 *}, it returns empty.
 * {@link #toString()} returns the expression as given.
 */
public final class CronSchedule implements ScheduleSpec {
    static final int SEARCH_YEARS = 10;

    private static final String FIELDS = "minute hour day-of-month month day-of-week";
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String expression;
    private final ZoneId zone;
    private final ZoneRules rules;
    // bit i set = value i matches; day-of-week uses 0-6 with Sunday = 0
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    /**
     * Parses {@code expression} for evaluation in {@code zone}.
     *
     * @throws ValidationException naming the field and what is wrong, e.g.
     *     {@code cron '61 * * * *': minute 61 is out of range 0-59}
     */
    public CronSchedule(String expression, ZoneId zone) {
        if (expression == null) {
            throw new ValidationException("cron expression is missing");
        }
        this.expression = expression;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.rules = zone.getRules();
        String trimmed = expression.strip();
        String expanded = trimmed;
        if (trimmed.startsWith("@")) {
            expanded = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw error("unknown macro '" + trimmed
                        + "' (allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)");
            }
        }
        String[] fields = expanded.isEmpty() ? new String[0] : expanded.split("\\s+");
        if (fields.length != 5) {
            throw error("expected 5 fields (" + FIELDS + "), got " + fields.length);
        }
        minutes = parseField(fields[0], "minute", 0, 59, null);
        hours = parseField(fields[1], "hour", 0, 23, null);
        daysOfMonth = parseField(fields[2], "day-of-month", 1, 31, null);
        months = parseField(fields[3], "month", 1, 12, MONTHS);
        long dow = parseField(fields[4], "day-of-week", 0, 7, DAYS);
        daysOfWeek = (dow | (dow >>> 7)) & 0x7F; // 7 is Sunday, as is 0
        dayOfMonthStar = fields[2].startsWith("*");
        dayOfWeekStar = fields[4].startsWith("*");
    }

    /** The expression as given (before macro expansion). */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        try {
            // The wall time -> instant mapping (gaps dropped, overlaps at their first occurrence) is
            // strictly increasing, so no wall time before after's own can fire after it.
            LocalDateTime t = LocalDateTime.ofInstant(after, zone).withSecond(0).withNano(0).plusMinutes(1);
            LocalDateTime limit = t.plusYears(SEARCH_YEARS);
            while (true) {
                LocalDateTime candidate = nextMatch(t, limit);
                if (candidate == null) {
                    return Optional.empty();
                }
                Instant fire = firstInstant(candidate);
                if (fire != null && fire.isAfter(after)) {
                    return Optional.of(fire);
                }
                t = candidate.plusMinutes(1); // in a gap, or the second pass of an overlap
            }
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty(); // beyond the supported date range
        }
    }

    /** The earliest instant with wall time {@code t}, or null if {@code t} is in a gap. */
    private Instant firstInstant(LocalDateTime t) {
        List<ZoneOffset> offsets = rules.getValidOffsets(t);
        Instant first = null;
        for (ZoneOffset offset : offsets) {
            Instant i = t.toInstant(offset);
            if (first == null || i.isBefore(first)) {
                first = i;
            }
        }
        return first;
    }

    /** The first wall time at or after {@code t} (whole minute) that matches all fields, or null past {@code limit}. */
    private LocalDateTime nextMatch(LocalDateTime t, LocalDateTime limit) {
        while (!t.isAfter(limit)) {
            int month = nextBit(months, t.getMonthValue());
            if (month != t.getMonthValue()) {
                t = month < 0
                        ? LocalDateTime.of(t.getYear() + 1, nextBit(months, 1), 1, 0, 0)
                        : LocalDateTime.of(t.getYear(), month, 1, 0, 0);
                continue;
            }
            LocalDate date = t.toLocalDate();
            if (!dayMatches(date)) {
                t = date.plusDays(1).atStartOfDay();
                continue;
            }
            int hour = nextBit(hours, t.getHour());
            if (hour < 0) {
                t = date.plusDays(1).atStartOfDay();
                continue;
            }
            if (hour != t.getHour()) {
                t = date.atTime(hour, 0);
            }
            int minute = nextBit(minutes, t.getMinute());
            if (minute < 0) {
                t = date.atTime(t.getHour(), 0).plusHours(1);
                continue;
            }
            return t.withMinute(minute);
        }
        return null;
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = (daysOfMonth & (1L << date.getDayOfMonth())) != 0;
        boolean dow = (daysOfWeek & (1L << (date.getDayOfWeek().getValue() % 7))) != 0;
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
    }

    /** The smallest set bit at or above {@code from}, or -1. */
    private static int nextBit(long mask, int from) {
        long rest = mask & (-1L << from);
        return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
    }

    private long parseField(String field, String name, int min, int max, List<String> names) {
        long mask = 0;
        for (String item : field.split(",", -1)) {
            if (item.isEmpty()) {
                throw error(name + " '" + field + "' has an empty list element");
            }
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                String stepText = item.substring(slash + 1);
                if (!isNumber(stepText)) {
                    throw error(name + " step '" + stepText + "' in '" + item + "' is not a number");
                }
                long s = Long.parseLong(stepText);
                if (s < 1) {
                    throw error(name + " step " + s + " in '" + item + "' must be at least 1");
                }
                step = (int) Math.min(s, Integer.MAX_VALUE);
            }
            int start;
            int end;
            if (range.equals("*")) {
                start = min;
                end = max;
            } else {
                int dash = range.indexOf('-');
                if (dash >= 0) {
                    if (range.indexOf('-', dash + 1) >= 0) {
                        throw error(name + " range '" + range + "' has more than one '-'");
                    }
                    start = value(range.substring(0, dash), item, name, min, max, names);
                    end = value(range.substring(dash + 1), item, name, min, max, names);
                    if (start > end) {
                        throw error(name + " range " + range + " is reversed (start must not be greater than end)");
                    }
                } else {
                    start = value(range, item, name, min, max, names);
                    end = slash >= 0 ? max : start;
                }
            }
            for (long v = start; v <= end; v += step) {
                mask |= 1L << v;
            }
        }
        return mask;
    }

    private int value(String text, String item, String name, int min, int max, List<String> names) {
        if (text.isEmpty()) {
            throw error(name + " '" + item + "' is missing a value");
        }
        if (!isNumber(text)) {
            if (names != null && text.chars().allMatch(Character::isLetter)) {
                int index = names.indexOf(text.toUpperCase(Locale.ROOT));
                if (index < 0) {
                    throw error(name + " has unknown name '" + text + "' (expected " + min + "-" + max + " or "
                            + names.get(0) + "-" + names.get(names.size() - 1) + ")");
                }
                return index + min;
            }
            throw error(name + " '" + text + "' is not a number");
        }
        long v = text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
        if (v < min || v > max) {
            throw error(name + " " + text + " is out of range " + min + "-" + max);
        }
        return (int) v;
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private ValidationException error(String what) {
        return new ValidationException("cron '" + expression + "': " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule c && c.expression.equals(expression) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    /** The expression as given. */
    @Override
    public String toString() {
        return expression;
    }
}
