package org.aiflow.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.aiflow.api.error.ValidationException;

/**
 * Content negotiation done strictly, without the JAX-RS runtime (so it is unit-testable): CXF
 * treats a missing or unparsable {@code Content-Type} as any type and ignores {@code q=0}. Media
 * types compare case-insensitively by type and subtype; {@code application/*+json} stands for any
 * structured-syntax JSON type.
 */
final class MediaTypes {
    /** The JSON types every body endpoint takes (RFC 6839 suffixes included). */
    static final String ANY_JSON = "application/*+json";
    static final List<String> YAML = List.of("application/yaml", "application/x-yaml", "text/yaml");

    private MediaTypes() {
    }

    /** One parsed media range: type, subtype, quality, charset (null if not given). */
    record Range(String type, String subtype, double q, String charset) {
        boolean matches(String otherType, String otherSubtype) {
            return (type.equals("*") || type.equals(otherType)) && (subtype.equals("*") || subtype.equals(otherSubtype)
                    || subtype.startsWith("*+") && otherSubtype.endsWith(subtype.substring(1)));
        }

        int specificity() {
            return type.equals("*") ? 1 : subtype.equals("*") ? 2 : 3;
        }
    }

    /**
     * Parses one media type or range ({@code type/subtype;param=value}).
     *
     * @return null if it is not one
     */
    static Range parse(String text) {
        String[] parts = text.split(";", -1);
        String[] typeAndSub = parts[0].trim().toLowerCase(Locale.ROOT).split("/", -1);
        if (typeAndSub.length != 2 || !token(typeAndSub[0]) || !token(typeAndSub[1])) {
            return null;
        }
        double q = 1;
        String charset = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                if (p.isEmpty()) {
                    continue;
                }
                return null;
            }
            String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (name.equals("q")) {
                try {
                    q = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (!(q >= 0 && q <= 1)) {
                    return null;
                }
            } else if (name.equals("charset")) {
                charset = value.toLowerCase(Locale.ROOT);
            }
        }
        return new Range(typeAndSub[0], typeAndSub[1], q, charset);
    }

    private static boolean token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether an {@code Accept} header admits one of {@code produced}: for each produced type the
     * most specific matching range decides, and {@code q=0} means "not this" (RFC 9110 12.5.1).
     * No header, or an empty one, admits anything.
     *
     * @throws ValidationException if the header is malformed
     */
    static boolean acceptable(String accept, List<String> produced) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : accept.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Range r = parse(part);
            if (r == null) {
                throw new ValidationException("header 'Accept' is malformed: '" + org.aiflow.api.error.Names.printable(part.trim()) + "'");
            }
            ranges.add(r);
        }
        if (ranges.isEmpty()) {
            return true;
        }
        for (String p : produced) {
            Range type = parse(p);
            Range best = null;
            for (Range r : ranges) {
                if (r.matches(type.type(), type.subtype()) && (best == null || r.specificity() > best.specificity())) {
                    best = r;
                }
            }
            if (best != null && best.q() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a body's {@code Content-Type} is one of {@code consumed} ({@link #ANY_JSON} admits
     * every {@code +json} type) in UTF-8, the only charset JSON has (RFC 8259 8.1).
     */
    static boolean supported(String contentType, List<String> consumed) {
        if (contentType == null || contentType.isBlank() || contentType.indexOf(',') >= 0) {
            return false;
        }
        Range type = parse(contentType);
        if (type == null || type.type().equals("*") || type.subtype().equals("*")
                || type.charset() != null && !type.charset().equals("utf-8")) {
            return false;
        }
        for (String c : consumed) {
            if (parse(c).matches(type.type(), type.subtype())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code contentType} is a JSON type (else, for a workflow upload, a YAML one). */
    static boolean isJson(String contentType) {
        return supported(contentType, List.of("application/json", ANY_JSON));
    }
}
