package org.aiflow.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * The metadata baselines: plain JDBC on tables shaped like the platform's {@code aiflow_models},
 * {@code aiflow_model_versions} and {@code aiflow_metric_values} (same columns, keys and indexes),
 * with no REST, JSON, validation, locking, version numbering or outbox event.
 */
final class RawMetadata {
    private static final String TABLE = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    private static final String MODEL_COLUMNS = "id, namespace, name, description, properties_json, revision, create_time, update_time";
    private static final String VERSION_COLUMNS = "(model_id, namespace, model_name, version, uri, model_type, description, stage, "
            + "properties_json, revision, create_time, update_time)";
    private static final String VALUE_COLUMNS = "(metric_id, metric_key, metric_value, measure_time, step, model_version, task_execution_id)";

    private final DataSource autoCommit;
    private final DataSource transactional;
    private final AtomicInteger versions = new AtomicInteger();

    /** @param autoCommit a pool of autocommit connections; {@code transactional} one with autocommit off */
    RawMetadata(DataSource autoCommit, DataSource transactional) throws SQLException {
        this.autoCommit = autoCommit;
        this.transactional = transactional;
        try (Connection c = autoCommit.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_raw_models (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, namespace VARCHAR(128) NOT NULL, "
                    + "name VARCHAR(255) NOT NULL, description TEXT NOT NULL, properties_json TEXT NOT NULL, revision BIGINT NOT NULL, "
                    + "create_time BIGINT NOT NULL, update_time BIGINT NOT NULL, CONSTRAINT bench_raw_models_name UNIQUE (namespace, name))" + TABLE);
            s.execute("CREATE TABLE bench_raw_model_versions (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, model_id BIGINT NOT NULL, "
                    + "namespace VARCHAR(128) NOT NULL, model_name VARCHAR(255) NOT NULL, version INT NOT NULL, uri VARCHAR(2048) NOT NULL, "
                    + "model_type VARCHAR(128) NOT NULL, description TEXT NOT NULL, stage VARCHAR(16) NOT NULL, properties_json TEXT NOT NULL, "
                    + "revision BIGINT NOT NULL, create_time BIGINT NOT NULL, update_time BIGINT NOT NULL, deployed_model_id BIGINT NULL, "
                    + "CONSTRAINT bench_raw_versions_number UNIQUE (model_id, version), "
                    + "CONSTRAINT bench_raw_versions_one_deployed UNIQUE (deployed_model_id))" + TABLE);
            s.execute("CREATE INDEX bench_raw_versions_by_stage ON bench_raw_model_versions (model_id, stage, version)");
            s.execute("CREATE INDEX bench_raw_versions_by_name ON bench_raw_model_versions (namespace, model_name, version)");
            s.execute("CREATE TABLE bench_raw_metric_values (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, metric_id BIGINT NOT NULL, "
                    + "metric_key VARCHAR(255) NOT NULL, metric_value DOUBLE NOT NULL, measure_time BIGINT NOT NULL, step BIGINT NULL, "
                    + "model_version INT NULL, task_execution_id BIGINT NULL)" + TABLE);
            s.execute("CREATE INDEX bench_raw_metric_values_by_metric ON bench_raw_metric_values (metric_id, id)");
        }
    }

    void createModel(String namespace, String name) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection c = autoCommit.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO bench_raw_models "
                + "(namespace, name, description, properties_json, revision, create_time, update_time) VALUES (?, ?, '', '{}', 1, ?, ?)")) {
            p.setString(1, namespace);
            p.setString(2, name);
            p.setLong(3, now);
            p.setLong(4, now);
            p.executeUpdate();
        }
    }

    /** One autocommit SELECT of a model by its unique key, every column read. */
    int readModel(String namespace, String name) throws SQLException {
        try (Connection c = autoCommit.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT " + MODEL_COLUMNS + " FROM bench_raw_models WHERE namespace = ? AND name = ?")) {
            p.setString(1, namespace);
            p.setString(2, name);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || !name.equals(r.getString(3)) || r.getString(5) == null || r.getLong(8) == 0) {
                    throw new IllegalStateException("no raw model " + namespace + "/" + name);
                }
                return 1;
            }
        }
    }

    /** One autocommit single-row INSERT of a model version (numbered by a counter, not by the database). */
    int insertVersion(long modelId, String namespace, String modelName) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection c = autoCommit.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO bench_raw_model_versions " + VERSION_COLUMNS + " VALUES (?, ?, ?, ?, ?, 'bench', '', 'GENERATED', '{}', 1, ?, ?)")) {
            int version = versions.incrementAndGet();
            p.setLong(1, modelId);
            p.setString(2, namespace);
            p.setString(3, modelName);
            p.setInt(4, version);
            p.setString(5, "file:///bench/" + modelName + "/" + version);
            p.setLong(6, now);
            p.setLong(7, now);
            return p.executeUpdate();
        }
    }

    /** One multi-row INSERT of {@code rows} metric values, committed as one transaction. */
    int insertMetricValues(long metricId, int rows) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO bench_raw_metric_values ").append(VALUE_COLUMNS).append(" VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?, ?, ?, ?, ?, ?, ?)");
        }
        long now = System.currentTimeMillis();
        try (Connection c = transactional.getConnection(); PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < rows; i++) {
                int at = i * 7;
                p.setLong(at + 1, metricId);
                p.setString(at + 2, "auc");
                p.setDouble(at + 3, MetadataSuite.metricValue(i));
                p.setLong(at + 4, now);
                p.setLong(at + 5, i + 1);
                p.setInt(at + 6, 1);
                p.setNull(at + 7, Types.BIGINT);
            }
            int stored = p.executeUpdate();
            c.commit();
            return stored;
        }
    }
}
