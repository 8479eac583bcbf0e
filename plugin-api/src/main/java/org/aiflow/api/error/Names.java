package org.aiflow.api.error;

import java.util.regex.Pattern;

/**
 * The one place where the name grammars of the API live, so every record validates the same way.
 */
public final class Names {
    /** Longest {@link #name name}, in characters. */
    public static final int MAX_NAME = 255;

    /**
     * Identifiers: namespaces, workflow, task, schedule, subscription, runner and condition type
     * names. Every identifier is also a valid {@link #name name}; identifiers are ASCII because they
     * end up in file names, configuration and event keys too.
     */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    private Names() {
    }

    /**
     * Checks {@code value} against {@link #IDENTIFIER}: 1 to 128 characters, ASCII letters, digits,
     * {@code _ . -}, starting with a letter or digit.
     *
     * @return the value
     * @throws ValidationException naming {@code field} if it is null or does not match
     */
    public static String identifier(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new ValidationException(field + " is required");
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new ValidationException(field + " '" + printable(value) + "' is invalid: use 1-128 characters "
                    + "A-Z a-z 0-9 _ . - starting with a letter or digit");
        }
        return value;
    }

    /**
     * The one grammar of the names that appear as a path segment of the REST API (datasets,
     * artifacts, models, metrics, log files, and identifiers), so that every accepted name can be
     * read back by name: 1 to {@value #MAX_NAME} characters of any Unicode text except control
     * characters, {@code /} and {@code \}, and unpaired surrogates; not {@code .} or {@code ..}.
     *
     * @return the value
     * @throws ValidationException naming {@code field} if it is null or does not match
     */
    public static String name(String field, String value) {
        text(field, value, MAX_NAME);
        if (value.equals(".") || value.equals("..")) {
            throw new ValidationException(field + " '" + value + "' is invalid: '.' and '..' are not names");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\') {
                throw new ValidationException(field + " '" + printable(value) + "' is invalid: it contains '" + c
                        + "' at position " + i + " (a name is one path segment)");
            }
        }
        return value;
    }

    /**
     * The index of the first unpaired UTF-16 surrogate in {@code value}, or -1: such text has no
     * UTF-8 form, so a database stores it as {@code ?} and it could never be found again.
     */
    public static int unpairedSurrogate(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Checks that {@code value} is non-empty, at most {@code max} characters and free of control characters. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new ValidationException(field + " is required");
        }
        if (value.length() > max) {
            throw new ValidationException(field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ValidationException(field + " contains a control character at position " + i);
            }
        }
        int surrogate = unpairedSurrogate(value);
        if (surrogate >= 0) {
            throw new ValidationException(field + " contains an unpaired surrogate at position " + surrogate);
        }
        return value;
    }

    /** A shortened, control-character-free rendering of user input for error messages. */
    public static String printable(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}|\\p{Cs}", "?");
    }
}
