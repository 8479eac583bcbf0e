package org.aiflow.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * How long one namespace keeps its events: at most {@code maxAge} old and/or at most the newest
 * {@code maxCount}. Written as {@code <namespace|*> age=<n><s|m|h|d> count=<n>}, e.g.
 * {@code "metrics age=7d count=100000"} or {@code "* age=30d"}; a namespace's own rule beats
 * {@code *}.
 */
record RetentionRule(String namespace, Duration maxAge, Long maxCount) {

    static final String ANY = "*";

    static List<RetentionRule> parseAll(String[] specs) {
        List<RetentionRule> rules = new ArrayList<>();
        if (specs != null) {
            for (String spec : specs) {
                if (!spec.isBlank()) {
                    rules.add(parse(spec));
                }
            }
        }
        return rules;
    }

    static RetentionRule parse(String spec) {
        String[] parts = spec.trim().split("[\\s,]+");
        String namespace = parts[0].equals(ANY) ? ANY : Names.identifier("retention namespace", parts[0]);
        Duration age = null;
        Long count = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].toLowerCase(Locale.ROOT);
            if (part.startsWith("age=")) {
                age = duration(spec, part.substring(4));
            } else if (part.startsWith("count=")) {
                count = number(spec, part.substring(6));
            } else {
                throw new ValidationException("retention rule '" + spec + "': unknown part '" + parts[i] + "' (use age=<n><s|m|h|d> and/or count=<n>)");
            }
        }
        if (age == null && count == null) {
            throw new ValidationException("retention rule '" + spec + "' needs age=<n><s|m|h|d> and/or count=<n>");
        }
        return new RetentionRule(namespace, age, count);
    }

    private static Duration duration(String spec, String text) {
        if (text.length() < 2) {
            throw new ValidationException("retention rule '" + spec + "': bad age '" + text + "'");
        }
        long n = number(spec, text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new ValidationException("retention rule '" + spec + "': age unit must be s, m, h or d");
        };
    }

    private static long number(String spec, String text) {
        try {
            long n = Long.parseLong(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ValidationException("retention rule '" + spec + "': '" + text + "' is not a non-negative number");
        }
    }

    /** The rule for a namespace: its own, else the {@code *} rule, else none. */
    static RetentionRule forNamespace(List<RetentionRule> rules, String namespace) {
        RetentionRule any = null;
        for (RetentionRule r : rules) {
            if (r.namespace().equals(namespace)) {
                return r;
            }
            if (r.namespace().equals(ANY)) {
                any = r;
            }
        }
        return any;
    }
}
