package org.aiflow.api.metadata;

import java.util.Map;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * The rules every metadata record shares. Entity names follow {@link Names#name}: 1-255
 * characters of any text but control characters, slash and backslash, and not {@code .} or
 * {@code ..}, so each is one path segment of the REST API; quotes, {@code %}, {@code _}, spaces and
 * unicode are stored and found exactly.
 */
public final class MetadataNames {
    public static final int MAX_NAME = Names.MAX_NAME;
    public static final int MAX_DESCRIPTION = 4096;

    private MetadataNames() {
    }

    public static String name(String field, String value) {
        return Names.name(field, value);
    }

    public static String description(String value) {
        if (value == null) {
            return "";
        }
        if (value.length() > MAX_DESCRIPTION) {
            throw new ValidationException("description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return value;
    }

    public static Map<String, String> properties(Map<String, String> properties) {
        if (properties == null) {
            return Map.of();
        }
        if (properties.size() > 64) {
            throw new ValidationException("at most 64 properties");
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            Names.text("property name", e.getKey(), 128);
            if (e.getValue() == null || e.getValue().length() > 4096) {
                throw new ValidationException("property '" + Names.printable(e.getKey()) + "' needs a value of at most 4096 characters");
            }
        }
        return Map.copyOf(properties);
    }
}
