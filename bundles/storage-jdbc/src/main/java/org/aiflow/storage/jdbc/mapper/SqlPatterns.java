package org.aiflow.storage.jdbc.mapper;

/**
 * LIKE patterns built from user text. The escape character is {@code !} rather than a backslash,
 * which MariaDB and H2 read differently inside string literals.
 */
public final class SqlPatterns {
    private SqlPatterns() {
    }

    /** A pattern (used with {@code ESCAPE '!'}) matching every string that starts with {@code prefix} exactly; null for null. */
    public static String startingWith(String prefix) {
        if (prefix == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(prefix.length() + 8);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '!' || c == '%' || c == '_') {
                b.append('!');
            }
            b.append(c);
        }
        return b.append('%').toString();
    }
}
