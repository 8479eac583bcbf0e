package org.aiflow.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the plain-SQL migrations shipped in this bundle, in order, recording each in
 * {@code aiflow_schema_version}. Plain SQL rather than Flyway, whose jars are not bundles. A database
 * whose DDL differs has its own form of a script in {@code migration/<databaseId>/} (PostgreSQL:
 * {@code migration/postgresql/}), used instead of the common one ({@code migration/}, H2 in MariaDB
 * mode and MariaDB); a script with no such form is common to all.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** Every migration, oldest first. Append; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__base.sql", "V2__event_subscriptions.sql", "V3__metadata.sql",
            "V4__metadata_more.sql", "V5__schedules.sql", "V6__execution_namespaces.sql", "V7__security.sql",
            "V8__snapshot_history.sql", "V9__cluster.sql", "V10__cluster_commands.sql");

    private SchemaMigrator() {
    }

    /** @return the number of migrations applied now */
    static int migrate(DataSource dataSource) throws SQLException {
        return migrate(dataSource, MIGRATIONS.size());
    }

    /** Applies the migrations up to version {@code upTo} (tests of a migration's data conversion start below it). */
    static int migrate(DataSource dataSource, int upTo) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String databaseId = databaseId(c.getMetaData().getDatabaseProductName());
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS aiflow_schema_version ("
                        + "version INT NOT NULL PRIMARY KEY, script VARCHAR(200) NOT NULL, applied_time BIGINT NOT NULL)"
                        + ("postgresql".equals(databaseId) ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"));
            }
            int current = currentVersion(c);
            int applied = 0;
            for (int v = current + 1; v <= upTo; v++) {
                String script = MIGRATIONS.get(v - 1);
                LOG.info("Applying schema migration {}", script);
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String sql : statements(read(databaseId, script))) {
                        s.execute(sql);
                    }
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO aiflow_schema_version (version, script, applied_time) VALUES (?, ?, ?)")) {
                        p.setInt(1, v);
                        p.setString(2, script);
                        p.setLong(3, System.currentTimeMillis());
                        p.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException("schema migration " + script + " failed: " + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(autoCommit);
                }
                applied++;
            }
            return applied;
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM aiflow_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The MyBatis databaseId of the database product ({@link JdbcStorage#DATABASE_IDS}), null if none. */
    static String databaseId(String productName) {
        if (productName != null) {
            for (Map.Entry<String, String> e : JdbcStorage.DATABASE_IDS.entrySet()) {
                if (productName.contains(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** The script's form for the database ({@code migration/<databaseId>/script}) if it has one, else the common one. */
    static String read(String databaseId, String script) throws SQLException {
        if (databaseId != null) {
            try (InputStream in = SchemaMigrator.class.getResourceAsStream("migration/" + databaseId + "/" + script)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new SQLException("cannot read migration " + databaseId + "/" + script, e);
            }
        }
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("migration/" + script)) {
            if (in == null) {
                throw new SQLException("migration script " + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + script, e);
        }
    }

    /** Splits a script into statements: ';' ends a statement at the end of a line; '--' lines are comments. */
    static List<String> statements(String script) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
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
