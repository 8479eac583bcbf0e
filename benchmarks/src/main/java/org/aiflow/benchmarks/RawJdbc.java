package org.aiflow.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The raw baseline: plain JDBC inserts of the same rows into a table shaped like the event log,
 * with an auto-increment key and nothing else — no version allocation, no idempotency, no
 * notification.
 */
final class RawJdbc {
    private static final String COLUMNS = "(namespace, event_key, event_value, event_type, sender, context_json, create_time)";
    private final DataSource dataSource;

    RawJdbc(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_raw_events (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "namespace VARCHAR(128) NOT NULL, event_key VARCHAR(255) NOT NULL, event_value MEDIUMTEXT NOT NULL, "
                    + "event_type VARCHAR(64) NOT NULL, sender VARCHAR(128) NOT NULL, context_json MEDIUMTEXT NOT NULL, "
                    + "create_time BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    /** One autocommit single-row insert. */
    int insertOne(String key, String value) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement p = c.prepareStatement("INSERT INTO bench_raw_events " + COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bind(p, 1, key, value);
            return p.executeUpdate();
        }
    }

    /** One multi-row INSERT statement of {@code rows} rows (autocommit: one transaction). */
    int insertMany(int rows, String keyPrefix, String value) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO bench_raw_events ").append(COLUMNS).append(" VALUES ");
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
