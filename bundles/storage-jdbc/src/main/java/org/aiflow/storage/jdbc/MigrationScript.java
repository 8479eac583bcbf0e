package org.aiflow.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One schema migration: its version (1 for {@code V1__...}), its file name and the text of the
 * form the database runs (see {@link #read}).
 *
 * <p>The checksum is taken over the statements, not the file: comment lines, blank lines,
 * trailing spaces and line endings do not count, so a comment may still be corrected in a shipped
 * script; any other edit changes it. {@link #checksum(int)} covers the first {@code n} statements
 * only, which is what a partly applied script records (its unapplied rest may still be fixed).
 */
record MigrationScript(int version, String name, String text) {

    /** The bundle's scripts {@code names}, oldest first, each in the form for {@code databaseId}; versions count from 1. */
    static List<MigrationScript> bundled(String databaseId, List<String> names) throws SQLException {
        List<MigrationScript> scripts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            scripts.add(new MigrationScript(i + 1, names.get(i), read(databaseId, names.get(i))));
        }
        return scripts;
    }

    List<String> statements() {
        return statements(text);
    }

    /** SHA-256 (hex) of the first {@code count} statements, normalised as the class comment says. */
    String checksum(int count) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<String> statements = statements();
            for (int i = 0; i < count && i < statements.size(); i++) {
                digest.update(statements.get(i).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0); // a separator no statement contains: "a" + "b;c" differs from "a;b" + "c"
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The checksum of the whole script. */
    String checksum() {
        return checksum(statements().size());
    }

    /** The script's form for the database ({@code migration/<databaseId>/script}) if it has one, else the common one. */
    static String read(String databaseId, String script) throws SQLException {
        if (databaseId != null) {
            try (InputStream in = MigrationScript.class.getResourceAsStream("migration/" + databaseId + "/" + script)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new SQLException("cannot read migration " + databaseId + "/" + script, e);
            }
        }
        try (InputStream in = MigrationScript.class.getResourceAsStream("migration/" + script)) {
            if (in == null) {
                throw new SQLException("migration script " + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + script, e);
        }
    }

    /**
     * Splits a script into statements: ';' ends a statement at the end of a line; '--' lines are
     * comments. Each statement's lines lose their trailing spaces (and a Windows line end's CR).
     */
    static List<String> statements(String script) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line.stripTrailing()).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                result.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString().strip());
        }
        return result;
    }
}
