package org.aiflow.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.Names;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
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
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.MetadataNames;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.api.spi.storage.MetadataStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.aiflow.json.AiflowJson;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The metadata service over a {@link MetadataStore}: validates input, applies the model stage rules
 * and builds the outbox events the store commits with each change. In OSGi a DS component that
 * requires the storage backend: when it is replaced (switched) it is re-created on the new one.
 * Outside OSGi it is built with the constructor (the annotations are build-time only).
 */
@Component(service = MetadataService.class, immediate = true)
public final class MetadataRegistry implements MetadataService {
    /** Sender of the registry's events. */
    public static final String SENDER = "aiflow-metadata";
    private static final ObjectMapper JSON = AiflowJson.newMapper();
    private static final int MAX_LIMIT = 1000;
    private static final int MAX_METRIC_BATCH = 10_000;

    private final MetadataStore store;

    /** On the storage backend's {@link MetadataStore}: the backend hands out all stores together, so they are of one database. */
    @Activate
    public MetadataRegistry(@Reference StorageBackend storage) {
        this(storage.metadataStore());
    }

    private MetadataRegistry(MetadataStore store) {
        this.store = store;
    }

    // no public constructor of the same arity beside the @Activate one: Felix SCR tries each and logs
    // an ERROR ("Constructor argument 0 ... has unsupported type") for the one whose types it cannot inject
    public static MetadataRegistry of(MetadataStore store) {
        return new MetadataRegistry(store);
    }

    /** The outbox event of a version that entered its stage: key = model name, value = the version record. */
    static List<EventDraft> stageEvent(ModelVersion v) {
        return List.of(new EventDraft(v.namespace(), v.modelName(), json(v), v.stage().eventType(), SENDER,
                Map.of("modelVersion", Integer.toString(v.version())), null));
    }

    /** The outbox event of an artifact change: key = artifact name, value = the artifact record. */
    private static Function<Artifact, List<EventDraft>> artifactEvent(String type) {
        return a -> List.of(new EventDraft(a.namespace(), a.name(), json(a), type, SENDER, Map.of(), null));
    }

    /** The outbox event of a dataset change: key = dataset name, value = the dataset record. */
    private static Function<Dataset, List<EventDraft>> datasetEvent(String type) {
        return d -> List.of(new EventDraft(d.namespace(), d.name(), json(d), type, SENDER, Map.of(), null));
    }

    private static String json(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record, e);
        }
    }

    @Override
    public Dataset createDataset(String namespace, DatasetDraft draft) {
        if (draft == null) {
            throw new ValidationException("a dataset needs at least a name and a uri");
        }
        return store.createDataset(namespace(namespace), draft, datasetEvent("DATASET_CREATED"));
    }

    @Override
    public Dataset dataset(String namespace, String name) {
        return store.findDataset(namespace(namespace), name).orElseThrow(() -> new NotFoundException("dataset", namespace(namespace) + "/" + name));
    }

    @Override
    public List<Dataset> listDatasets(String namespace, ListQuery query) {
        return store.listDatasets(namespace(namespace), query(query));
    }

    @Override
    public Dataset updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content) {
        if (content == null) {
            throw new ValidationException("the new content of the dataset is required");
        }
        if (!content.name().equals(name)) {
            throw new ValidationException("a dataset cannot be renamed ('" + name + "' to '" + content.name() + "')");
        }
        return store.updateDataset(namespace(namespace), name, expectedRevision, content, false, datasetEvent("DATASET_UPDATED"))
                .orElseThrow(() -> new NotFoundException("dataset", namespace(namespace) + "/" + name));
    }

    @Override
    public Dataset deleteDataset(String namespace, String name, long expectedRevision) {
        return store.updateDataset(namespace(namespace), name, expectedRevision, null, true, datasetEvent("DATASET_DELETED"))
                .orElseThrow(() -> new NotFoundException("dataset", namespace(namespace) + "/" + name));
    }

    @Override
    public Model createModel(String namespace, String name, String description, Map<String, String> properties) {
        return store.createModel(namespace(namespace), MetadataNames.name("model name", name),
                MetadataNames.description(description), MetadataNames.properties(properties));
    }

    @Override
    public Model model(String namespace, String name) {
        return store.findModel(namespace(namespace), name).orElseThrow(() -> new NotFoundException("model", namespace(namespace) + "/" + name));
    }

    @Override
    public List<Model> listModels(String namespace, ListQuery query) {
        return store.listModels(namespace(namespace), query(query));
    }

    @Override
    public Model updateModel(String namespace, String name, long expectedRevision, String description, Map<String, String> properties) {
        return store.updateModel(namespace(namespace), name, expectedRevision, MetadataNames.description(description),
                MetadataNames.properties(properties)).orElseThrow(() -> new NotFoundException("model", namespace(namespace) + "/" + name));
    }

    @Override
    public ModelVersion createModelVersion(String namespace, String modelName, ModelVersionDraft draft) {
        if (draft == null) {
            throw new ValidationException("a model version needs at least a uri");
        }
        return store.createModelVersion(namespace(namespace), modelName, draft, MetadataRegistry::stageEvent);
    }

    @Override
    public ModelVersion modelVersion(String namespace, String modelName, int version) {
        return store.findModelVersion(namespace(namespace), modelName, version)
                .orElseThrow(() -> new NotFoundException("model version", namespace(namespace) + "/" + modelName + " v" + version));
    }

    @Override
    public List<ModelVersion> listModelVersions(String namespace, String modelName, ModelStage stage, int afterVersion, int limit) {
        model(namespace, modelName);
        return store.listModelVersions(namespace(namespace), modelName, stage, Math.max(0, afterVersion), limit(limit));
    }

    @Override
    public ModelVersion changeStage(String namespace, String modelName, int version, ModelStage target, long expectedRevision,
                                    PromotionMode mode) {
        if (target == null) {
            throw new ValidationException("a target stage is required");
        }
        ModelVersion current = modelVersion(namespace, modelName, version);
        if (expectedRevision >= 0 && current.revision() != expectedRevision) {
            throw new ConflictException("model version " + modelName + " v" + version + " is at revision " + current.revision()
                    + ", not " + expectedRevision + ": read it again and retry");
        }
        if (current.stage() == target) {
            return current;
        }
        if (!current.stage().canMoveTo(target)) {
            throw new ConflictException("model version " + modelName + " v" + version + " cannot move from " + current.stage()
                    + " to " + target + " (allowed: " + current.stage().next() + ")");
        }
        List<Map.Entry<ModelVersion, ModelStage>> changes = new ArrayList<>();
        if (target == ModelStage.DEPLOYED) {
            Optional<ModelVersion> deployed = deployedVersion(namespace, modelName);
            if (deployed.isPresent()) {
                if (mode == PromotionMode.REFUSE_IF_DEPLOYED) {
                    throw new ConflictException("model " + modelName + " already has v" + deployed.get().version()
                            + " DEPLOYED; deprecate it first or promote with DEPRECATE_PREVIOUS");
                }
                changes.add(Map.entry(deployed.get(), ModelStage.DEPRECATED)); // first, so one version is deployed at any time
            }
        }
        changes.add(Map.entry(current, target));
        List<ModelVersion> changed = store.changeStages(changes, MetadataRegistry::stageEvent);
        return changed.get(changed.size() - 1);
    }

    @Override
    public Optional<ModelVersion> latestVersion(String namespace, String modelName, ModelStage stage) {
        if (stage == null) {
            throw new ValidationException("a stage is required");
        }
        return store.findLatestVersion(namespace(namespace), modelName, stage);
    }

    @Override
    public Project createProject(ProjectDraft draft) {
        if (draft == null) {
            throw new ValidationException("a project needs at least a name");
        }
        return store.createProject(draft);
    }

    @Override
    public Project project(String name) {
        return store.findProject(name).orElseThrow(() -> new NotFoundException("project", name));
    }

    @Override
    public List<Project> listProjects(ListQuery query) {
        return store.listProjects(query(query));
    }

    @Override
    public Project updateProject(String name, long expectedRevision, ProjectDraft content) {
        if (content == null) {
            throw new ValidationException("the new content of the project is required");
        }
        if (!content.name().equals(name)) {
            throw new ValidationException("a project cannot be renamed ('" + name + "' to '" + content.name() + "')");
        }
        return store.updateProject(name, expectedRevision, content).orElseThrow(() -> new NotFoundException("project", name));
    }

    @Override
    public Artifact createArtifact(String namespace, ArtifactDraft draft) {
        if (draft == null) {
            throw new ValidationException("an artifact needs at least a name and a uri");
        }
        return store.createArtifact(namespace(namespace), draft, artifactEvent("ARTIFACT_CREATED"));
    }

    @Override
    public Artifact artifact(String namespace, String name) {
        return store.findArtifact(namespace(namespace), name).orElseThrow(() -> new NotFoundException("artifact", namespace(namespace) + "/" + name));
    }

    @Override
    public List<Artifact> listArtifacts(String namespace, ListQuery query) {
        return store.listArtifacts(namespace(namespace), query(query));
    }

    @Override
    public Artifact updateArtifact(String namespace, String name, long expectedRevision, ArtifactDraft content) {
        if (content == null) {
            throw new ValidationException("the new content of the artifact is required");
        }
        if (!content.name().equals(name)) {
            throw new ValidationException("an artifact cannot be renamed ('" + name + "' to '" + content.name() + "')");
        }
        return store.updateArtifact(namespace(namespace), name, expectedRevision, content, false, artifactEvent("ARTIFACT_UPDATED"))
                .orElseThrow(() -> new NotFoundException("artifact", namespace(namespace) + "/" + name));
    }

    @Override
    public Artifact deleteArtifact(String namespace, String name, long expectedRevision) {
        return store.updateArtifact(namespace(namespace), name, expectedRevision, null, true, artifactEvent("ARTIFACT_DELETED"))
                .orElseThrow(() -> new NotFoundException("artifact", namespace(namespace) + "/" + name));
    }

    @Override
    public MetricMeta createMetric(String namespace, MetricMetaDraft draft) {
        if (draft == null) {
            throw new ValidationException("a metric needs at least a name, a kind and the dataset or model it measures");
        }
        return store.createMetric(namespace(namespace), draft);
    }

    @Override
    public MetricMeta metric(String namespace, String name) {
        return store.findMetric(namespace(namespace), name).orElseThrow(() -> new NotFoundException("metric", namespace(namespace) + "/" + name));
    }

    @Override
    public List<MetricMeta> listMetrics(String namespace, ListQuery query) {
        if (query != null && query.type() != null && !"DATASET".equals(query.type()) && !"MODEL".equals(query.type())) {
            throw new ValidationException("a metric's kind is DATASET or MODEL, not '" + Names.printable(query.type()) + "'");
        }
        return store.listMetrics(namespace(namespace), query(query));
    }

    @Override
    public int logMetrics(String namespace, String metricName, List<MetricPoint> points) {
        if (points == null || points.isEmpty()) {
            throw new ValidationException("log at least one metric value");
        }
        if (points.size() > MAX_METRIC_BATCH) {
            throw new ValidationException("log at most " + MAX_METRIC_BATCH + " metric values per call, not " + points.size());
        }
        if (points.stream().anyMatch(Objects::isNull)) {
            throw new ValidationException("a metric value is empty");
        }
        return store.logMetrics(namespace(namespace), metricName, points);
    }

    @Override
    public List<MetricValue> metricValues(String namespace, String metricName, MetricQuery query) {
        if (query == null) {
            throw new ValidationException("a metric value query is required");
        }
        return store.metricValues(namespace(namespace), metricName, query);
    }

    @Override
    public List<LineageEdge> recordLineage(String namespace, long taskExecutionId, LineageDirection direction,
                                           List<LineageEntity> entities) {
        if (direction == null) {
            throw new ValidationException("a lineage direction is required: READ or WROTE");
        }
        if (entities == null || entities.isEmpty() || entities.stream().anyMatch(Objects::isNull)) {
            throw new ValidationException("name at least one dataset, artifact or model version, and no empty one");
        }
        if (entities.size() > ListQuery.MAX_LIMIT) {
            throw new ValidationException("record at most " + ListQuery.MAX_LIMIT + " lineage entities per call");
        }
        return store.recordLineage(namespace(namespace), taskExecutionId, direction, entities);
    }

    @Override
    public List<LineageEdge> lineageOfTask(long taskExecutionId) {
        return store.lineageOfTask(taskExecutionId);
    }

    @Override
    public List<LineageEdge> lineageOfEntity(String namespace, LineageEntity entity) {
        if (entity == null) {
            throw new ValidationException("a lineage entity is required");
        }
        return store.lineageOfEntity(namespace(namespace), entity);
    }

    private static String namespace(String namespace) {
        return namespace == null || namespace.isEmpty() ? EventDraft.DEFAULT_NAMESPACE : Names.identifier("namespace", namespace);
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static ListQuery query(ListQuery query) {
        return query == null ? ListQuery.first(100) : query;
    }
}
