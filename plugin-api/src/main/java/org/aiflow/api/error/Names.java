package org.aiflow.api.error;

import java.util.regex.Pattern;

/**
 * The one place where the name grammars of the API live, so every record validates the same way.
 */
public final class Names {
    /** Identifiers: namespaces, workflow, task, runner and condition type names. */
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
        return value;
    }

    /** A shortened, control-character-free rendering of user input for error messages. */
    public static String printable(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
