package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.storage.jdbc.mapper.DatasetMapper;
import org.aiflow.storage.jdbc.mapper.MetricMapper;
import org.aiflow.storage.jdbc.mapper.ModelMapper;
import org.aiflow.storage.jdbc.mapper.Rows.MetricRow;
import org.aiflow.storage.jdbc.mapper.Rows.MetricValueRow;
import org.aiflow.storage.jdbc.mapper.SqlPatterns;

/** Metric definitions and values over MyBatis; part of {@link MyBatisMetadataStore}. */
final class MetricRecords {
    private final JdbcStorage storage;

    MetricRecords(JdbcStorage storage) {
        this.storage = storage;
    }

    MetricMeta create(String namespace, MetricMetaDraft draft) {
        return storage.inTransaction(session -> {
            if (draft.kind() == MetricKind.DATASET && session.getMapper(DatasetMapper.class).find(namespace, draft.datasetName()) == null) {
                throw new NotFoundException("dataset", namespace + "/" + draft.datasetName());
            }
            if (draft.kind() == MetricKind.MODEL && session.getMapper(ModelMapper.class).findModel(namespace, draft.modelName()) == null) {
                throw new NotFoundException("model", namespace + "/" + draft.modelName());
            }
            MetricMapper m = session.getMapper(MetricMapper.class);
            if (m.find(namespace, draft.name()) != null) {
                throw new ConflictException("metric '" + namespace + "/" + draft.name() + "' already exists");
            }
            long now = System.currentTimeMillis();
            MetricRow row = new MetricRow();
            row.namespace = namespace;
            row.name = draft.name();
            row.kind = draft.kind().name();
            row.datasetName = draft.datasetName();
            row.modelName = draft.modelName();
            row.description = draft.description();
            row.propertiesJson = Json.write(draft.properties());
            row.revision = 1;
            row.createTime = now;
            row.updateTime = now;
            m.insert(row);
            return toMeta(row);
        });
    }

    Optional<MetricMeta> find(String namespace, String name) {
        return storage.inTransaction(session -> Optional.ofNullable(session.getMapper(MetricMapper.class).find(namespace, name))
                .map(MetricRecords::toMeta));
    }

    List<MetricMeta> list(String namespace, ListQuery q) {
        return storage.inTransaction(session -> session.getMapper(MetricMapper.class)
                .list(namespace, SqlPatterns.startingWith(q.namePrefix()), q.type(), q.afterName(), q.limit())
                .stream().map(MetricRecords::toMeta).toList());
    }

    /**
     * One JDBC batch of single-row INSERTs (the batch executor prepares the statement once and sends
     * the rows together at commit): each row binds plain properties, which costs MyBatis far less
     * than a multi-row {@code <foreach>} whose every parameter is a nested property path.
     */
    int log(String namespace, String metricName, List<MetricPoint> points) {
        return storage.inBatchTransaction(session -> {
            MetricMapper m = session.getMapper(MetricMapper.class);
            MetricRow metric = existing(m, namespace, metricName);
            long now = System.currentTimeMillis();
            for (MetricPoint p : points) {
                MetricValueRow row = new MetricValueRow();
                row.metricId = metric.id;
                row.metricKey = p.key();
                row.metricValue = p.value();
                row.measureTime = p.timestamp() == null ? now : p.timestamp().toEpochMilli();
                row.step = p.step();
                row.modelVersion = p.modelVersion();
                row.taskExecutionId = p.taskExecutionId();
                m.insertValue(row);
            }
            return points.size();
        });
    }

    List<MetricValue> values(String namespace, String metricName, MetricQuery q) {
        return storage.inTransaction(session -> {
            MetricMapper m = session.getMapper(MetricMapper.class);
            MetricRow metric = existing(m, namespace, metricName);
            return m.listValues(metric.id, q.key(), q.modelVersion(), q.taskExecutionId(),
                            q.from() == null ? null : q.from().toEpochMilli(), q.until() == null ? null : q.until().toEpochMilli(),
                            q.afterId(), q.limit())
                    .stream().map(r -> new MetricValue(r.id, namespace, metricName, r.metricKey, r.metricValue,
                            Instant.ofEpochMilli(r.measureTime), r.step, r.modelVersion, r.taskExecutionId))
                    .toList();
        });
    }

    private static MetricRow existing(MetricMapper m, String namespace, String metricName) {
        MetricRow metric = m.find(namespace, metricName);
        if (metric == null) {
            throw new NotFoundException("metric", namespace + "/" + metricName);
        }
        return metric;
    }

    private static MetricMeta toMeta(MetricRow r) {
        return new MetricMeta(r.id, r.namespace, r.name, MetricKind.valueOf(r.kind), r.datasetName, r.modelName, r.description,
                Json.readStringMap(r.propertiesJson), r.revision, Instant.ofEpochMilli(r.createTime),
                Instant.ofEpochMilli(r.updateTime));
    }
}
