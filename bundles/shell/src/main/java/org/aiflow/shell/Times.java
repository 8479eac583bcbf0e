package org.aiflow.shell;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.api.error.ValidationException;

/**
 * Times given to console options: an ISO-8601 instant ({@code 2027-06-30T00:00:00Z}), a date
 * ({@code 2027-06-30}, midnight UTC), or a duration counted from now ({@code 30d}, {@code 12h},
 * {@code 90m}, {@code 45s}, {@code 2w}, or ISO {@code P30D}, {@code PT12H}): into the future for an
 * expiry, into the past for a "from" filter.
 */
final class Times {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhdw])");
    /** Years 0000-9999, as the rest of the platform bounds instants. */
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");
    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");

    private Times() {
    }

    /** A duration as {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 2w} or ISO-8601; null if the text is none. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The instant {@code text} names; a duration counts from {@code now} forward if {@code future},
     * else backward.
     *
     * @param option the option's name, for the message
     */
    static Instant instant(String option, String text, Instant now, boolean future) {
        String t = text.trim();
        try {
            Duration d = duration(t);
            if (d != null) {
                if (d.isNegative() || d.isZero()) {
                    throw new ValidationException(option + " '" + text + "' must be a positive duration");
                }
                return check(option, text, future ? now.plus(d) : now.minus(d));
            }
            if (t.length() == 10 && t.charAt(4) == '-') {
                return check(option, text, LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return check(option, text, Instant.parse(t));
        } catch (DateTimeException | ArithmeticException e) {
            throw new ValidationException(option + " '" + text + "' is neither an ISO-8601 instant (2027-06-30T00:00:00Z), a date"
                    + " (2027-06-30) nor a duration (30d, 12h, 90m, 45s, 2w, P30D)");
        }
    }

    private static Instant check(String option, String text, Instant t) {
        if (t.isAfter(MAX) || t.isBefore(MIN)) {
            throw new ValidationException(option + " '" + text + "' is outside the years 0000-9999");
        }
        return t;
    }
}
