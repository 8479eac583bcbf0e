package org.aiflow.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The raw baseline: plain JDBC inserts of the same rows into a table with exactly the event log's
 * columns, keys and indexes (aiflow_events as the migrations create it), the version numbered by the
 * database's auto-increment — no version allocation under a lock, no idempotency bookkeeping, no
 * notification. An application storing its events itself would need the same indexes for the same
 * reads (by key, by sender, by time, retention by namespace and age).
 *
 * <p>For information ({@code #} lines, no RESULT): the same inserts into a bare table with the same
 * columns and an auto-increment key only, which tells how much of a gap is index maintenance.
 */
final class RawJdbc {
    private static final String COLUMNS = "(namespace, event_key, event_value, event_type, sender, context_json, create_time)";
    static final String LOG_SHAPED = "bench_raw_events";
    static final String BARE = "bench_raw_events_bare";
    private final DataSource dataSource;

    RawJdbc(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + LOG_SHAPED + " (version BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "namespace VARCHAR(128) NOT NULL, event_key VARCHAR(255) NOT NULL, event_value MEDIUMTEXT NOT NULL, "
                    + "event_type VARCHAR(64) NOT NULL, sender VARCHAR(128) NOT NULL, context_json MEDIUMTEXT NOT NULL, "
                    + "create_time BIGINT NOT NULL, idempotency_key VARCHAR(128) NULL, "
                    + "CONSTRAINT bench_raw_events_idempotency UNIQUE (idempotency_key)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_events_by_key ON " + LOG_SHAPED + " (namespace, event_key, version)");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_events_by_time ON " + LOG_SHAPED + " (create_time)");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_events_by_namespace_time ON " + LOG_SHAPED + " (namespace, create_time)");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_events_by_sender ON " + LOG_SHAPED + " (sender, version)");
            s.execute("CREATE TABLE IF NOT EXISTS " + BARE + " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "namespace VARCHAR(128) NOT NULL, event_key VARCHAR(255) NOT NULL, event_value MEDIUMTEXT NOT NULL, "
                    + "event_type VARCHAR(64) NOT NULL, sender VARCHAR(128) NOT NULL, context_json MEDIUMTEXT NOT NULL, "
                    + "create_time BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    /** One autocommit single-row insert into the log-shaped table. */
    int insertOne(String key, String value) throws SQLException {
        return insertOne(LOG_SHAPED, key, value);
    }

    /** One autocommit single-row insert into {@code table} ({@link #LOG_SHAPED} or {@link #BARE}). */
    int insertOne(String table, String key, String value) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " " + COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bind(p, 1, key, value);
            return p.executeUpdate();
        }
    }

    /** One multi-row INSERT statement of {@code rows} rows into {@code table} (autocommit: one transaction). */
    int insertMany(String table, int rows, String keyPrefix, String value) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(' ').append(COLUMNS).append(" VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?, ?, ?, ?, ?, ?, ?)");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < rows; i++) {
                bind(p, i * 7 + 1, keyPrefix + i, value);
            }
            return p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, int first, String key, String value) throws SQLException {
        p.setString(first, "bench");
        p.setString(first + 1, key);
        p.setString(first + 2, value);
        p.setString(first + 3, "BENCH");
        p.setString(first + 4, "bench");
        p.setString(first + 5, "{}");
        p.setLong(first + 6, System.currentTimeMillis());
    }
}
