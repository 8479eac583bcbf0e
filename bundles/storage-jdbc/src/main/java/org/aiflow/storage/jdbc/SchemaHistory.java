package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table {@code aiflow_schema_version}: one row per migration started on this database, with
 * the script's name, how many of its statements are applied, their checksum (see
 * {@link MigrationScript#checksum(int)}) and its status, {@code applied} or {@code partial}.
 * Rows written before checksums existed have null in the three newer columns: applied, checksum
 * unknown until {@link #baseline} fills it in.
 */
final class SchemaHistory {
    static final String APPLIED = "applied";
    static final String PARTIAL = "partial";

    /** One row. {@code checksum} is null on a row from before checksums; {@code statements} then too. */
    record Entry(int version, String script, String checksum, Integer statements, String status) {
        boolean complete() {
            return status == null || APPLIED.equals(status);
        }
    }

    private SchemaHistory() {
    }

    /**
     * Creates the table, or gives one from an earlier release the columns added since; run under
     * the migration lock. {@code ADD COLUMN IF NOT EXISTS} is understood by H2, MariaDB and PostgreSQL.
     */
    static void prepare(Connection c, String databaseId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS aiflow_schema_version ("
                    + "version INT NOT NULL PRIMARY KEY, script VARCHAR(200) NOT NULL, applied_time BIGINT NOT NULL,"
                    + " checksum VARCHAR(64) NULL, statements INT NULL, status VARCHAR(16) NULL)"
                    + ("postgresql".equals(databaseId) ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"));
        }
        commit(c);
        if (!hasNewColumns(c)) { // not at every start: a no-op ALTER still needs the privilege, and commits on MariaDB
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE aiflow_schema_version ADD COLUMN IF NOT EXISTS checksum VARCHAR(64) NULL");
                s.execute("ALTER TABLE aiflow_schema_version ADD COLUMN IF NOT EXISTS statements INT NULL");
                s.execute("ALTER TABLE aiflow_schema_version ADD COLUMN IF NOT EXISTS status VARCHAR(16) NULL");
            }
            commit(c);
        }
    }

    private static boolean hasNewColumns(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT checksum, statements, status FROM aiflow_schema_version WHERE 1 = 0")) {
            return true;
        } catch (SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback(); // PostgreSQL refuses everything else in a transaction after an error
            }
            return false;
        }
    }

    /** Every row by version. */
    static Map<Integer, Entry> read(Connection c) throws SQLException {
        Map<Integer, Entry> entries = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, script, checksum, statements, status FROM aiflow_schema_version")) {
            while (rs.next()) {
                int statements = rs.getInt(4);
                entries.put(rs.getInt(1), new Entry(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.wasNull() ? null : statements, rs.getString(5)));
            }
        }
        commit(c);
        return entries;
    }

    /** Gives a row from before checksums the checksum of the script as shipped now: trusted, as nothing could check it then. */
    static void baseline(Connection c, MigrationScript script) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE aiflow_schema_version SET checksum = ?, statements = ?, status = ?"
                + " WHERE version = ? AND checksum IS NULL")) {
            p.setString(1, script.checksum());
            p.setInt(2, script.statements().size());
            p.setString(3, APPLIED);
            p.setInt(4, script.version());
            p.executeUpdate();
        }
        commit(c);
    }

    /** Records that the first {@code statements} statements of {@code script} are applied, inserting its row if new; does not commit. */
    static void record(Connection c, MigrationScript script, int statements, boolean insert) throws SQLException {
        String status = statements == script.statements().size() ? APPLIED : PARTIAL;
        String sql = insert
                ? "INSERT INTO aiflow_schema_version (checksum, statements, status, applied_time, script, version) VALUES (?, ?, ?, ?, ?, ?)"
                : "UPDATE aiflow_schema_version SET checksum = ?, statements = ?, status = ?, applied_time = ?, script = ? WHERE version = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, script.checksum(statements));
            p.setInt(2, statements);
            p.setString(3, status);
            p.setLong(4, System.currentTimeMillis());
            p.setString(5, script.name());
            p.setInt(6, script.version());
            p.executeUpdate();
        }
    }

    private static void commit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
