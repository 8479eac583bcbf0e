package org.aiflow.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * How long one namespace keeps the log directories of its finished task executions: none older than
 * {@code maxAge} and, oldest first, none beyond {@code maxBytes} in total for the namespace. Written
 * like an event retention rule, {@code <namespace|*> age=<n><s|m|h|d> size=<n>[k|m|g]}, e.g.
 * {@code "ml age=7d size=2g"} or {@code "* age=30d size=10g"}; a namespace's own rule beats
 * {@code *}, and {@code *} applies to each other namespace separately (its own budget each). Sizes
 * are bytes, the suffixes powers of 1024. Either part may be left out, not both.
 */
record TaskLogRule(String namespace, Duration maxAge, Long maxBytes) {

    static final String ANY = "*";

    TaskLogRule {
        if (maxAge == null && maxBytes == null) {
            throw new ValidationException("task log retention rule for '" + namespace + "' needs age=<n><s|m|h|d> and/or size=<n>[k|m|g]");
        }
    }

    /** Every non-blank spec; a namespace named twice is refused (which one would win is not obvious). */
    static List<TaskLogRule> parseAll(String[] specs) {
        List<TaskLogRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (specs != null) {
            for (String spec : specs) {
                if (spec != null && !spec.isBlank()) {
                    TaskLogRule rule = parse(spec);
                    if (!seen.add(rule.namespace())) {
                        throw new ValidationException("task log retention: namespace '" + rule.namespace() + "' has two rules");
                    }
                    rules.add(rule);
                }
            }
        }
        return List.copyOf(rules);
    }

    static TaskLogRule parse(String spec) {
        String[] parts = spec.trim().split("[\\s,]+");
        String namespace = parts[0].equals(ANY) ? ANY : Names.identifier("task log retention namespace", parts[0]);
        Duration age = null;
        Long size = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].toLowerCase(Locale.ROOT);
            if (part.startsWith("age=")) {
                age = duration(spec, part.substring(4));
            } else if (part.startsWith("size=")) {
                size = bytes(spec, part.substring(5));
            } else {
                throw new ValidationException("task log retention rule '" + spec + "': unknown part '" + parts[i]
                        + "' (use age=<n><s|m|h|d> and/or size=<n>[k|m|g])");
            }
        }
        if (age == null && size == null) {
            throw new ValidationException("task log retention rule '" + spec + "' needs age=<n><s|m|h|d> and/or size=<n>[k|m|g]");
        }
        return new TaskLogRule(namespace, age, size);
    }

    private static Duration duration(String spec, String text) {
        if (text.length() < 2) {
            throw new ValidationException("task log retention rule '" + spec + "': bad age '" + text + "' (e.g. 30d)");
        }
        long n = number(spec, text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new ValidationException("task log retention rule '" + spec + "': age unit must be s, m, h or d");
        };
    }

    private static long bytes(String spec, String text) {
        if (text.isEmpty()) {
            throw new ValidationException("task log retention rule '" + spec + "': empty size");
        }
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        long n = number(spec, shift == 0 ? text : text.substring(0, text.length() - 1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new ValidationException("task log retention rule '" + spec + "': size '" + text + "' is too large");
        }
        return n << shift;
    }

    private static long number(String spec, String text) {
        try {
            long n = Long.parseLong(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ValidationException("task log retention rule '" + spec + "': '" + text + "' is not a non-negative number");
        }
    }

    /** The rule for a namespace: its own, else the {@code *} rule, else none (keep everything). */
    static TaskLogRule forNamespace(List<TaskLogRule> rules, String namespace) {
        TaskLogRule any = null;
        for (TaskLogRule r : rules) {
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
