package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.storage.jdbc.mapper.ArtifactMapper;
import org.aiflow.storage.jdbc.mapper.Rows.ArtifactRow;
import org.aiflow.storage.jdbc.mapper.SqlPatterns;

/** Artifacts over MyBatis, each change with its outbox events; part of {@link MyBatisMetadataStore}. */
final class ArtifactRecords {
    private final JdbcStorage storage;
    private final MyBatisEventStore events;

    ArtifactRecords(JdbcStorage storage, MyBatisEventStore events) {
        this.storage = storage;
        this.events = events;
    }

    Artifact create(String namespace, ArtifactDraft draft, Function<Artifact, List<EventDraft>> outbox) {
        return events.withOutbox((session, drafts) -> {
            ArtifactMapper m = session.getMapper(ArtifactMapper.class);
            if (m.find(namespace, draft.name()) != null) {
                throw new ConflictException("artifact '" + namespace + "/" + draft.name() + "' already exists");
            }
            long now = System.currentTimeMillis();
            ArtifactRow row = row(draft, now);
            row.namespace = namespace;
            row.name = draft.name();
            row.revision = 1;
            row.createTime = now;
            m.insert(row);
            Artifact stored = toArtifact(row);
            drafts.addAll(outbox.apply(stored));
            return stored;
        }).value();
    }

    Optional<Artifact> find(String namespace, String name) {
        return storage.inTransaction(session -> Optional.ofNullable(session.getMapper(ArtifactMapper.class).find(namespace, name))
                .map(ArtifactRecords::toArtifact));
    }

    List<Artifact> list(String namespace, ListQuery q) {
        return storage.inTransaction(session -> session.getMapper(ArtifactMapper.class)
                .list(namespace, SqlPatterns.startingWith(q.namePrefix()), q.type(), q.afterName(), q.includeDeleted(), q.limit())
                .stream().map(ArtifactRecords::toArtifact).toList());
    }

    Optional<Artifact> update(String namespace, String name, long expectedRevision, ArtifactDraft content, boolean delete,
                              Function<Artifact, List<EventDraft>> outbox) {
        return events.withOutbox((session, drafts) -> {
            ArtifactMapper m = session.getMapper(ArtifactMapper.class);
            ArtifactRow current = m.find(namespace, name);
            if (current == null) {
                return Optional.<Artifact>empty();
            }
            if (current.deleted) {
                throw new ConflictException("artifact '" + namespace + "/" + name + "' is deleted");
            }
            ArtifactRow row = delete ? current : row(content, 0);
            row.id = current.id;
            row.deleted = delete;
            row.updateTime = System.currentTimeMillis();
            if (m.update(row, expectedRevision) == 0) {
                throw new ConflictException("artifact '" + namespace + "/" + name + "' is at revision " + current.revision
                        + ", not " + expectedRevision + ": read it again and retry");
            }
            Artifact stored = toArtifact(m.find(namespace, name));
            drafts.addAll(outbox.apply(stored));
            return Optional.of(stored);
        }).value();
    }

    private static ArtifactRow row(ArtifactDraft d, long now) {
        ArtifactRow row = new ArtifactRow();
        row.artifactType = d.type();
        row.uri = d.uri();
        row.description = d.description();
        row.propertiesJson = Json.write(d.properties());
        row.updateTime = now;
        return row;
    }

    private static Artifact toArtifact(ArtifactRow r) {
        return new Artifact(r.id, r.namespace, r.name, r.artifactType, r.uri, r.description, Json.readStringMap(r.propertiesJson),
                r.deleted, r.revision, Instant.ofEpochMilli(r.createTime), Instant.ofEpochMilli(r.updateTime));
    }
}
