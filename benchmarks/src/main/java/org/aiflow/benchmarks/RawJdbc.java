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

    static final String TASKS = "bench_raw_tasks";
    static final String HISTORY = "bench_raw_task_changes";

    /** Tables shaped as the task executions and their status history (columns, keys, indexes as the migrations create them). */
    void createTaskTables() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TASKS + " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "workflow_execution_id BIGINT NOT NULL, namespace VARCHAR(128) NOT NULL, workflow_name VARCHAR(128) NOT NULL, "
                    + "task_name VARCHAR(128) NOT NULL, attempt INT NOT NULL, runner_type VARCHAR(128) NOT NULL, status VARCHAR(16) NOT NULL, "
                    + "handle_json TEXT NULL, message VARCHAR(2000) NOT NULL, create_time BIGINT NOT NULL, update_time BIGINT NOT NULL"
                    + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_tasks_by_status ON " + TASKS + " (status)");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_tasks_by_execution ON " + TASKS + " (workflow_execution_id, task_name)");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_tasks_by_workflow ON " + TASKS + " (namespace, workflow_name)");
            s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                    + "task_execution_id BIGINT NOT NULL, from_status VARCHAR(16) NULL, to_status VARCHAR(16) NOT NULL, "
                    + "message VARCHAR(2000) NOT NULL, change_time BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
            s.execute("CREATE INDEX IF NOT EXISTS bench_raw_task_changes_by_task ON " + HISTORY + " (task_execution_id, id)");
        }
    }

    /**
     * The rows a burst event that starts a task makes the platform write, by plain JDBC with nothing
     * else (no decision, no runner, no reads): the event itself, the task inserted QUEUED and moved
     * to RUNNING and SUCCESS, three history rows and three status events, {@code eventsPerCommit}
     * events to a transaction, statements in JDBC batches. Returns events per second over
     * {@code seconds}: the most a scheduler writing these rows could reach.
     */
    double taskStartRows(int seconds, int eventsPerCommit) throws SQLException {
        String event = "INSERT INTO " + LOG_SHAPED + " " + COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        String task = "INSERT INTO " + TASKS + " (workflow_execution_id, namespace, workflow_name, task_name, attempt, runner_type, "
                + "status, handle_json, message, create_time, update_time) VALUES (?, 'bench', ?, 't', ?, 'bench', 'QUEUED', NULL, 'go', ?, ?)";
        String move = "UPDATE " + TASKS + " SET status = ?, message = ?, update_time = ? WHERE id = ? AND status = ?";
        String change = "INSERT INTO " + HISTORY + " (task_execution_id, from_status, to_status, message, change_time) VALUES (?, ?, ?, ?, ?)";
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long events = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement e = c.prepareStatement(event); PreparedStatement t = c.prepareStatement(task, Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement m = c.prepareStatement(move); PreparedStatement h = c.prepareStatement(change)) {
                while (System.nanoTime() < deadline) {
                    long[] ids = new long[eventsPerCommit];
                    long now = System.currentTimeMillis();
                    for (int i = 0; i < eventsPerCommit; i++) {
                        bind(e, 1, "go-" + (events + i) % 1000, "burst");
                        e.addBatch();
                        t.setLong(1, (events + i) % 1000);
                        t.setString(2, "wf-" + (events + i) % 1000);
                        t.setInt(3, (int) ((events + i) / 1000) + 1);
                        t.setLong(4, now);
                        t.setLong(5, now);
                        t.executeUpdate();
                        try (java.sql.ResultSet k = t.getGeneratedKeys()) {
                            k.next();
                            ids[i] = k.getLong(1);
                        }
                    }
                    String[][] steps = {{null, "QUEUED"}, {"QUEUED", "RUNNING"}, {"RUNNING", "SUCCESS"}};
                    for (String[] step : steps) {
                        for (long id : ids) {
                            if (step[0] != null) {
                                m.setString(1, step[1]);
                                m.setString(2, step[1]);
                                m.setLong(3, now);
                                m.setLong(4, id);
                                m.setString(5, step[0]);
                                m.addBatch();
                            }
                            h.setLong(1, id);
                            h.setString(2, step[0]);
                            h.setString(3, step[1]);
                            h.setString(4, step[1]);
                            h.setLong(5, now);
                            h.addBatch();
                            bind(e, 1, "wf-t", step[1]);
                            e.addBatch();
                        }
                        if (step[0] != null) {
                            m.executeBatch();
                        }
                    }
                    h.executeBatch();
                    e.executeBatch();
                    c.commit();
                    events += eventsPerCommit;
                }
            }
        }
        return events / ((System.nanoTime() - start) / 1e9);
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
