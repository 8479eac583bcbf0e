package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.metadata.ProjectDraft;
import org.aiflow.api.metadata.DatasetCatalog;
import org.aiflow.api.metadata.DatasetColumn;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.spi.storage.MetadataStore;
import org.aiflow.storage.jdbc.mapper.DatasetMapper;
import org.aiflow.storage.jdbc.mapper.ModelMapper;
import org.aiflow.storage.jdbc.mapper.SqlPatterns;
import org.aiflow.storage.jdbc.mapper.Rows.DatasetRow;
import org.aiflow.storage.jdbc.mapper.Rows.ModelRow;
import org.aiflow.storage.jdbc.mapper.Rows.ModelVersionRow;

/**
 * The model registry over MyBatis. Every change and its outbox events are one transaction: the
 * model's row is locked first (serializing version numbers and stage changes per model), then the
 * events are appended under the event sequence lock ({@link MyBatisEventStore#withOutbox}), then
 * everything commits — or nothing does.
 */
final class MyBatisMetadataStore implements MetadataStore {
    private final JdbcStorage storage;
    private final MyBatisEventStore events;

    private final ProjectRecords projects;
    private final ArtifactRecords artifacts;
    private final MetricRecords metrics;
    private final LineageRecords lineage;
    /** Models and datasets by namespace and name; see {@link RecordCache} for when it is enabled. */
    private final RecordCache<Map.Entry<String, String>, Model> models;
    private final RecordCache<Map.Entry<String, String>, Dataset> datasets;

    MyBatisMetadataStore(JdbcStorage storage, MyBatisEventStore events) {
        this.storage = storage;
        this.events = events;
        this.models = new RecordCache<>(storage.exclusive());
        this.datasets = new RecordCache<>(storage.exclusive());
        this.projects = new ProjectRecords(storage);
        this.artifacts = new ArtifactRecords(storage, events);
        this.metrics = new MetricRecords(storage);
        this.lineage = new LineageRecords(storage);
    }

    @Override
    public Model createModel(String namespace, String name, String description, Map<String, String> properties) {
        return storage.inTransaction(session -> {
            ModelMapper m = session.getMapper(ModelMapper.class);
            if (m.findModel(namespace, name) != null) {
                throw new ConflictException("model '" + namespace + "/" + name + "' already exists");
            }
            long now = System.currentTimeMillis();
            ModelRow row = new ModelRow();
            row.namespace = namespace;
            row.name = name;
            row.description = description;
            row.propertiesJson = Json.write(properties);
            row.revision = 1;
            row.createTime = now;
            row.updateTime = now;
            m.insertModel(row);
            return toModel(row);
        });
    }

    @Override
    public Dataset createDataset(String namespace, DatasetDraft draft, Function<Dataset, List<EventDraft>> outbox) {
        return events.withOutbox((session, drafts) -> {
            DatasetMapper m = session.getMapper(DatasetMapper.class);
            if (m.find(namespace, draft.name()) != null) {
                throw new ConflictException("dataset '" + namespace + "/" + draft.name() + "' already exists");
            }
            long now = System.currentTimeMillis();
            DatasetRow row = datasetRow(draft, false, now);
            row.namespace = namespace;
            row.name = draft.name();
            row.revision = 1;
            row.createTime = now;
            m.insert(row);
            Dataset stored = toDataset(row);
            drafts.addAll(outbox.apply(stored));
            return stored;
        }).value();
    }

    @Override
    public Optional<Dataset> findDataset(String namespace, String name) {
        return datasets.get(Map.entry(namespace, name), () -> storage.inTransaction(session ->
                Optional.ofNullable(session.getMapper(DatasetMapper.class).find(namespace, name)).map(MyBatisMetadataStore::toDataset)));
    }

    @Override
    public List<Dataset> listDatasets(String namespace, ListQuery q) {
        return storage.inTransaction(session -> session.getMapper(DatasetMapper.class).list(namespace,
                        SqlPatterns.startingWith(q.namePrefix()), q.type(), q.afterName(), q.includeDeleted(), q.limit())
                .stream().map(MyBatisMetadataStore::toDataset).toList());
    }

    @Override
    public Optional<Dataset> updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content,
                                           boolean delete, Function<Dataset, List<EventDraft>> outbox) {
        try {
            return updateDatasetRow(namespace, name, expectedRevision, content, delete, outbox);
        } finally {
            datasets.changed(Map.entry(namespace, name));
        }
    }

    private Optional<Dataset> updateDatasetRow(String namespace, String name, long expectedRevision, DatasetDraft content,
                                               boolean delete, Function<Dataset, List<EventDraft>> outbox) {
        return events.withOutbox((session, drafts) -> {
            DatasetMapper m = session.getMapper(DatasetMapper.class);
            DatasetRow current = m.find(namespace, name);
            if (current == null) {
                return Optional.<Dataset>empty();
            }
            if (current.deleted) {
                throw new ConflictException("dataset '" + namespace + "/" + name + "' is deleted");
            }
            DatasetRow row = delete ? current : datasetRow(content, false, 0);
            row.id = current.id;
            row.deleted = delete;
            row.updateTime = System.currentTimeMillis();
            if (m.update(row, expectedRevision) == 0) {
                throw new ConflictException("dataset '" + namespace + "/" + name + "' is at revision " + current.revision
                        + ", not " + expectedRevision + ": read it again and retry");
            }
            Dataset stored = toDataset(m.find(namespace, name));
            drafts.addAll(outbox.apply(stored));
            return Optional.of(stored);
        }).value();
    }

    private static DatasetRow datasetRow(DatasetDraft d, boolean deleted, long now) {
        DatasetRow row = new DatasetRow();
        row.uri = d.uri();
        row.format = d.format();
        row.schemaJson = Json.write(d.schema());
        row.description = d.description();
        row.catalogJson = d.catalog() == null ? null : Json.write(d.catalog());
        row.propertiesJson = Json.write(d.properties());
        row.deleted = deleted;
        row.updateTime = now;
        return row;
    }

    private static Dataset toDataset(DatasetRow r) {
        return new Dataset(r.id, r.namespace, r.name, r.uri, r.format, Json.readList(r.schemaJson, DatasetColumn.class),
                r.description, r.catalogJson == null ? null : Json.read(r.catalogJson, DatasetCatalog.class),
                Json.readStringMap(r.propertiesJson), r.deleted, r.revision, Instant.ofEpochMilli(r.createTime),
                Instant.ofEpochMilli(r.updateTime));
    }

    @Override
    public Optional<Model> findModel(String namespace, String name) {
        return models.get(Map.entry(namespace, name), () -> storage.inTransaction(session ->
                Optional.ofNullable(session.getMapper(ModelMapper.class).findModel(namespace, name)).map(MyBatisMetadataStore::toModel)));
    }

    @Override
    public List<Model> listModels(String namespace, ListQuery q) {
        return storage.inTransaction(session -> session.getMapper(ModelMapper.class)
                .listModels(namespace, SqlPatterns.startingWith(q.namePrefix()), q.afterName(), q.limit())
                .stream().map(MyBatisMetadataStore::toModel).toList());
    }

    @Override
    public Optional<Model> updateModel(String namespace, String name, long expectedRevision, String description,
                                       Map<String, String> properties) {
        try {
            return updateModelRow(namespace, name, expectedRevision, description, properties);
        } finally {
            models.changed(Map.entry(namespace, name));
        }
    }

    private Optional<Model> updateModelRow(String namespace, String name, long expectedRevision, String description,
                                           Map<String, String> properties) {
        return storage.inTransaction(session -> {
            ModelMapper m = session.getMapper(ModelMapper.class);
            ModelRow row = m.findModel(namespace, name);
            if (row == null) {
                return Optional.empty();
            }
            if (m.updateModel(row.id, expectedRevision, description, Json.write(properties), System.currentTimeMillis()) == 0) {
                throw new ConflictException("model '" + namespace + "/" + name + "' is at revision " + row.revision
                        + ", not " + expectedRevision + ": read it again and retry");
            }
            return Optional.of(toModel(m.findModel(namespace, name)));
        });
    }

    @Override
    public ModelVersion createModelVersion(String namespace, String modelName, ModelVersionDraft draft,
                                           Function<ModelVersion, List<EventDraft>> outbox) {
        return events.withOutbox((session, drafts) -> {
            ModelMapper m = session.getMapper(ModelMapper.class);
            ModelRow model = m.lockModel(namespace, modelName);
            if (model == null) {
                throw new NotFoundException("model", namespace + "/" + modelName);
            }
            long now = System.currentTimeMillis();
            ModelVersionRow row = new ModelVersionRow();
            row.modelId = model.id;
            row.namespace = namespace;
            row.modelName = modelName;
            row.version = m.lastVersion(model.id) + 1;
            row.uri = draft.uri();
            row.modelType = draft.type();
            row.description = draft.description();
            row.stage = ModelStage.GENERATED.name();
            row.propertiesJson = Json.write(draft.properties());
            row.revision = 1;
            row.createTime = now;
            row.updateTime = now;
            m.insertVersion(row);
            ModelVersion stored = toVersion(row);
            drafts.addAll(outbox.apply(stored));
            return stored;
        }).value();
    }

    @Override
    public Optional<ModelVersion> findModelVersion(String namespace, String modelName, int version) {
        return storage.inTransaction(session -> Optional.ofNullable(
                session.getMapper(ModelMapper.class).findVersion(namespace, modelName, version)).map(MyBatisMetadataStore::toVersion));
    }

    @Override
    public List<ModelVersion> listModelVersions(String namespace, String modelName, ModelStage stage, int afterVersion, int limit) {
        return storage.inTransaction(session -> session.getMapper(ModelMapper.class)
                .listVersions(namespace, modelName, stage == null ? null : stage.name(), afterVersion, limit)
                .stream().map(MyBatisMetadataStore::toVersion).toList());
    }

    @Override
    public List<ModelVersion> changeStages(List<Map.Entry<ModelVersion, ModelStage>> changes,
                                           Function<ModelVersion, List<EventDraft>> outbox) {
        if (changes.isEmpty()) {
            return List.of();
        }
        return events.withOutbox((session, drafts) -> {
            ModelMapper m = session.getMapper(ModelMapper.class);
            ModelVersion first = changes.get(0).getKey();
            m.lockModel(first.namespace(), first.modelName());
            long now = System.currentTimeMillis();
            List<ModelVersion> changed = new ArrayList<>();
            for (Map.Entry<ModelVersion, ModelStage> c : changes) {
                ModelVersion read = c.getKey();
                if (m.changeStage(read.id(), read.revision(), read.stage().name(), c.getValue().name(), now) == 0) {
                    throw new ConflictException("model version " + read.modelName() + " v" + read.version()
                            + " changed since it was read (revision " + read.revision() + "): read it again and retry");
                }
                ModelVersion stored = toVersion(m.findVersionById(read.id()));
                changed.add(stored);
                drafts.addAll(outbox.apply(stored));
            }
            return changed;
        }).value();
    }

    @Override
    public Optional<ModelVersion> findLatestVersion(String namespace, String modelName, ModelStage stage) {
        return storage.inTransaction(session -> Optional.ofNullable(session.getMapper(ModelMapper.class)
                .latestVersion(namespace, modelName, stage.name())).map(MyBatisMetadataStore::toVersion));
    }

    @Override
    public Project createProject(ProjectDraft draft) {
        return projects.create(draft);
    }

    @Override
    public Optional<Project> findProject(String name) {
        return projects.find(name);
    }

    @Override
    public List<Project> listProjects(ListQuery query) {
        return projects.list(query);
    }

    @Override
    public Optional<Project> updateProject(String name, long expectedRevision, ProjectDraft content) {
        return projects.update(name, expectedRevision, content);
    }

    @Override
    public Artifact createArtifact(String namespace, ArtifactDraft draft, Function<Artifact, List<EventDraft>> outbox) {
        return artifacts.create(namespace, draft, outbox);
    }

    @Override
    public Optional<Artifact> findArtifact(String namespace, String name) {
        return artifacts.find(namespace, name);
    }

    @Override
    public List<Artifact> listArtifacts(String namespace, ListQuery query) {
        return artifacts.list(namespace, query);
    }

    @Override
    public Optional<Artifact> updateArtifact(String namespace, String name, long expectedRevision, ArtifactDraft content,
                                             boolean delete, Function<Artifact, List<EventDraft>> outbox) {
        return artifacts.update(namespace, name, expectedRevision, content, delete, outbox);
    }

    @Override
    public MetricMeta createMetric(String namespace, MetricMetaDraft draft) {
        return metrics.create(namespace, draft);
    }

    @Override
    public Optional<MetricMeta> findMetric(String namespace, String name) {
        return metrics.find(namespace, name);
    }

    @Override
    public List<MetricMeta> listMetrics(String namespace, ListQuery query) {
        return metrics.list(namespace, query);
    }

    @Override
    public int logMetrics(String namespace, String metricName, List<MetricPoint> points) {
        return metrics.log(namespace, metricName, points);
    }

    @Override
    public List<MetricValue> metricValues(String namespace, String metricName, MetricQuery query) {
        return metrics.values(namespace, metricName, query);
    }

    @Override
    public List<LineageEdge> recordLineage(String namespace, long taskExecutionId, LineageDirection direction,
                                           List<LineageEntity> entities) {
        return lineage.record(namespace, taskExecutionId, direction, entities);
    }

    @Override
    public List<LineageEdge> lineageOfTask(long taskExecutionId) {
        return lineage.ofTask(taskExecutionId);
    }

    @Override
    public List<LineageEdge> lineageOfEntity(String namespace, LineageEntity entity) {
        return lineage.ofEntity(namespace, entity);
    }

    private static Model toModel(ModelRow r) {
        return new Model(r.id, r.namespace, r.name, r.description, Json.readStringMap(r.propertiesJson), r.revision,
                Instant.ofEpochMilli(r.createTime), Instant.ofEpochMilli(r.updateTime));
    }

    private static ModelVersion toVersion(ModelVersionRow r) {
        return new ModelVersion(r.id, r.namespace, r.modelName, r.version, r.uri, r.modelType, r.description,
                ModelStage.valueOf(r.stage), Json.readStringMap(r.propertiesJson), r.revision,
                Instant.ofEpochMilli(r.createTime), Instant.ofEpochMilli(r.updateTime));
    }
}
