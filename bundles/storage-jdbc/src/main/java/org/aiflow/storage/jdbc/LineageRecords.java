package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.storage.jdbc.mapper.ArtifactMapper;
import org.aiflow.storage.jdbc.mapper.DatasetMapper;
import org.aiflow.storage.jdbc.mapper.LineageMapper;
import org.aiflow.storage.jdbc.mapper.ModelMapper;
import org.aiflow.storage.jdbc.mapper.Rows.LineageRow;
import org.apache.ibatis.session.SqlSession;

/** Lineage edges over MyBatis; part of {@link MyBatisMetadataStore}. */
final class LineageRecords {
    private final JdbcStorage storage;

    LineageRecords(JdbcStorage storage) {
        this.storage = storage;
    }

    List<LineageEdge> record(String namespace, long taskExecutionId, LineageDirection direction, List<LineageEntity> entities) {
        return storage.inTransaction(session -> {
            LineageMapper m = session.getMapper(LineageMapper.class);
            if (m.taskExists(taskExecutionId) == 0) {
                throw new NotFoundException("task execution", Long.toString(taskExecutionId));
            }
            long now = System.currentTimeMillis();
            List<LineageEdge> edges = new ArrayList<>(entities.size());
            for (LineageEntity entity : entities) {
                requireExists(session, namespace, entity);
                LineageRow row = new LineageRow();
                row.namespace = namespace;
                row.taskExecutionId = taskExecutionId;
                row.direction = direction.name();
                row.entityKind = entity.kind().name();
                row.entityName = entity.name();
                row.entityVersion = entity.version();
                row.createTime = now;
                LineageRow existing = m.find(row);
                if (existing == null) {
                    m.insert(row);
                    existing = row;
                }
                edges.add(toEdge(existing));
            }
            return edges;
        });
    }

    List<LineageEdge> ofTask(long taskExecutionId) {
        return storage.inTransaction(session -> session.getMapper(LineageMapper.class).ofTask(taskExecutionId)
                .stream().map(LineageRecords::toEdge).toList());
    }

    List<LineageEdge> ofEntity(String namespace, LineageEntity entity) {
        return storage.inTransaction(session -> session.getMapper(LineageMapper.class)
                .ofEntity(namespace, entity.kind().name(), entity.name(), entity.version())
                .stream().map(LineageRecords::toEdge).toList());
    }

    private static void requireExists(SqlSession session, String namespace, LineageEntity e) {
        boolean exists = switch (e.kind()) {
            case DATASET -> session.getMapper(DatasetMapper.class).find(namespace, e.name()) != null;
            case ARTIFACT -> session.getMapper(ArtifactMapper.class).find(namespace, e.name()) != null;
            case MODEL_VERSION -> session.getMapper(ModelMapper.class).findVersion(namespace, e.name(), e.version()) != null;
        };
        if (!exists) {
            String what = e.kind() == LineageEntity.Kind.MODEL_VERSION ? e.name() + " v" + e.version() : e.name();
            throw new NotFoundException(e.kind().name().toLowerCase().replace('_', ' '), namespace + "/" + what);
        }
    }

    private static LineageEdge toEdge(LineageRow r) {
        return new LineageEdge(r.id, r.namespace, r.taskExecutionId, LineageDirection.valueOf(r.direction),
                new LineageEntity(LineageEntity.Kind.valueOf(r.entityKind), r.entityName, r.entityVersion),
                Instant.ofEpochMilli(r.createTime));
    }
}
