package org.aiflow.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * The raw baseline: plain JDBC inserts of the same rows into a table shaped like the event log,
 * with an auto-increment key and nothing else — no version allocation, no idempotency, no
 * notification.
 *
 * <p>For information only (no RESULT line uses it): {@link #insertManyIndexed} inserts the same rows
 * into a second table with exactly the event log's columns, keys and indexes, which tells how much
 * of the batch gap is the table's index maintenance rather than the service.
 */
final class RawJdbc {
    private static final String COLUMNS = "(namespace, event_key, event_value, event_type, sender, context_json, create_time)";
    private static final String INDEXED_COLUMNS =
            "(version, namespace, event_key, event_value, event_type, sender, context_json, create_time, idempotency_key)";
    private final DataSource dataSource;
    private final AtomicLong indexedVersion = new AtomicLong();

    RawJdbc(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_raw_events (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "namespace VARCHAR(128) NOT NULL, event_key VARCHAR(255) NOT NULL, event_value MEDIUMTEXT NOT NULL, "
                    + "event_type VARCHAR(64) NOT NULL, sender VARCHAR(128) NOT NULL, context_json MEDIUMTEXT NOT NULL, "
                    + "create_time BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    /** Creates the table of {@link #insertManyIndexed}: aiflow_events as the migrations create it (V1__base.sql, V2__event_subscriptions.sql). */
    void createIndexed() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_raw_events_indexed (version BIGINT NOT NULL PRIMARY KEY, "
                    + "namespace VARCHAR(128) NOT NULL, event_key VARCHAR(255) NOT NULL, event_value MEDIUMTEXT NOT NULL, "
                    + "event_type VARCHAR(64) NOT NULL, sender VARCHAR(128) NOT NULL, context_json MEDIUMTEXT NOT NULL, "
                    + "create_time BIGINT NOT NULL, idempotency_key VARCHAR(128) NULL, "
                    + "CONSTRAINT bench_raw_events_indexed_idempotency UNIQUE (idempotency_key)"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            s.execute("CREATE INDEX bench_raw_events_indexed_by_key ON bench_raw_events_indexed (namespace, event_key, version)");
            s.execute("CREATE INDEX bench_raw_events_indexed_by_time ON bench_raw_events_indexed (create_time)");
            s.execute("CREATE INDEX bench_raw_events_indexed_by_namespace_time ON bench_raw_events_indexed (namespace, create_time)");
            s.execute("CREATE INDEX bench_raw_events_indexed_by_sender ON bench_raw_events_indexed (sender, version)");
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

    /**
     * As {@link #insertMany}, into the table with the event log's own keys and indexes (versions
     * counted here, no idempotency key; {@link #createIndexed} first): information only.
     */
    int insertManyIndexed(int rows, String keyPrefix, String value) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO bench_raw_events_indexed ").append(INDEXED_COLUMNS).append(" VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        long first = indexedVersion.getAndAdd(rows);
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < rows; i++) {
                p.setLong(i * 9 + 1, first + i + 1);
                bind(p, i * 9 + 2, keyPrefix + i, value);
                p.setNull(i * 9 + 9, Types.VARCHAR);
            }
            return p.executeUpdate();
        }
    }

    /** Drops the table of {@link #insertManyIndexed}. */
    void dropIndexed() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE bench_raw_events_indexed");
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
