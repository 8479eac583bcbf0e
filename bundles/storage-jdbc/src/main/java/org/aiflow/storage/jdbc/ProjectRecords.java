package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.metadata.ProjectDraft;
import org.aiflow.storage.jdbc.mapper.ProjectMapper;
import org.aiflow.storage.jdbc.mapper.Rows.ProjectRow;
import org.aiflow.storage.jdbc.mapper.SqlPatterns;

/** Projects over MyBatis; part of {@link MyBatisMetadataStore}. */
final class ProjectRecords {
    private final JdbcStorage storage;

    ProjectRecords(JdbcStorage storage) {
        this.storage = storage;
    }

    Project create(ProjectDraft draft) {
        return storage.inTransaction(session -> {
            ProjectMapper m = session.getMapper(ProjectMapper.class);
            if (m.find(draft.name()) != null) {
                throw new ConflictException("project '" + draft.name() + "' already exists");
            }
            long now = System.currentTimeMillis();
            ProjectRow row = row(draft, now);
            row.name = draft.name();
            row.revision = 1;
            row.createTime = now;
            m.insert(row);
            return toProject(row);
        });
    }

    Optional<Project> find(String name) {
        return storage.inTransaction(session -> Optional.ofNullable(session.getMapper(ProjectMapper.class).find(name))
                .map(ProjectRecords::toProject));
    }

    List<Project> list(ListQuery q) {
        return storage.inTransaction(session -> session.getMapper(ProjectMapper.class)
                .list(SqlPatterns.startingWith(q.namePrefix()), q.afterName(), q.limit())
                .stream().map(ProjectRecords::toProject).toList());
    }

    Optional<Project> update(String name, long expectedRevision, ProjectDraft content) {
        return storage.inTransaction(session -> {
            ProjectMapper m = session.getMapper(ProjectMapper.class);
            ProjectRow current = m.find(name);
            if (current == null) {
                return Optional.empty();
            }
            ProjectRow row = row(content, System.currentTimeMillis());
            row.id = current.id;
            if (m.update(row, expectedRevision) == 0) {
                throw new ConflictException("project '" + name + "' is at revision " + current.revision + ", not "
                        + expectedRevision + ": read it again and retry");
            }
            return Optional.of(toProject(m.find(name)));
        });
    }

    private static ProjectRow row(ProjectDraft d, long now) {
        ProjectRow row = new ProjectRow();
        row.description = d.description();
        row.uri = d.uri();
        row.propertiesJson = Json.write(d.properties());
        row.updateTime = now;
        return row;
    }

    private static Project toProject(ProjectRow r) {
        return new Project(r.id, r.name, r.description, r.uri, Json.readStringMap(r.propertiesJson), r.revision,
                Instant.ofEpochMilli(r.createTime), Instant.ofEpochMilli(r.updateTime));
    }
}
