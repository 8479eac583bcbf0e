package org.aiflow.api.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * One per-namespace rule as written in a configuration: {@code <namespace|*> key=value ...}, parts
 * separated by blanks or commas, keys case-insensitive, e.g. {@code "metrics age=7d count=100000"}
 * or {@code "* age=30d size=10g"}. The values are read with {@link #age}, {@link #number} and
 * {@link #size}; every error is a {@link ValidationException} quoting the rule.
 *
 * @param what what the rule is for, in messages ({@code "retention"}, {@code "task log retention"})
 * @param spec the rule as written
 * @param namespace an {@linkplain Names#identifier identifier} or {@link #ANY}
 * @param parts the values by lower-case key, in the order written
 */
public record NamespaceRuleSpec(String what, String spec, String namespace, Map<String, String> parts) {

    /** The namespace of the rule for every namespace without one of its own. */
    public static final String ANY = "*";

    public NamespaceRuleSpec {
        parts = Map.copyOf(parts);
    }

    /**
     * Parses {@code spec}, accepting only {@code keys}.
     *
     * @param usage how to write the parts, for the messages (e.g. {@code "age=<n><s|m|h|d> and/or count=<n>"})
     * @throws ValidationException on an invalid namespace, an unknown or repeated part, or no part at all
     */
    public static NamespaceRuleSpec parse(String what, String spec, Set<String> keys, String usage) {
        String[] tokens = spec.trim().split("[\\s,]+");
        String namespace = tokens[0].equals(ANY) ? ANY : Names.identifier(what + " namespace", tokens[0]);
        Map<String, String> parts = new LinkedHashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i].toLowerCase(Locale.ROOT);
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            if (eq < 0 || !keys.contains(key)) {
                throw new ValidationException(what + " rule '" + spec + "': unknown part '" + tokens[i] + "' (use " + usage + ")");
            }
            if (parts.put(key, token.substring(eq + 1)) != null) {
                throw new ValidationException(what + " rule '" + spec + "': '" + key + "' is given twice");
            }
        }
        if (parts.isEmpty()) {
            throw new ValidationException(what + " rule '" + spec + "' needs " + usage);
        }
        return new NamespaceRuleSpec(what, spec, namespace, parts);
    }

    /** The part {@code key} as an age {@code <n><s|m|h|d>}, or null when absent. */
    public Duration age(String key) {
        String text = parts.get(key);
        if (text == null) {
            return null;
        }
        if (text.length() < 2) {
            throw invalid("bad " + key + " '" + text + "' (e.g. 30d)");
        }
        long n = parseNumber(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw invalid(key + " unit must be s, m, h or d");
        };
    }

    /** The part {@code key} as a non-negative number, or null when absent. */
    public Long number(String key) {
        String text = parts.get(key);
        return text == null ? null : parseNumber(text);
    }

    /** The part {@code key} as bytes {@code <n>[k|m|g]} (powers of 1024), or null when absent. */
    public Long size(String key) {
        String text = parts.get(key);
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw invalid("empty " + key);
        }
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        long n = parseNumber(shift == 0 ? text : text.substring(0, text.length() - 1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw invalid(key + " '" + text + "' is too large");
        }
        return n << shift;
    }

    private long parseNumber(String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wrong
        }
        throw invalid("'" + text + "' is not a non-negative number");
    }

    private ValidationException invalid(String problem) {
        return new ValidationException(what + " rule '" + spec + "': " + problem);
    }

    /** The rule for {@code namespace} among {@code rules}: its own, else the {@link #ANY} rule, else null. */
    public static <R> R forNamespace(List<R> rules, Function<R, String> namespaceOf, String namespace) {
        R any = null;
        for (R r : rules) {
            String ns = namespaceOf.apply(r);
            if (ns.equals(namespace)) {
                return r;
            }
            if (ns.equals(ANY)) {
                any = r;
            }
        }
        return any;
    }
}
