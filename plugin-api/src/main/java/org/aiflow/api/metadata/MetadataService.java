package org.aiflow.api.metadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The metadata service: projects, datasets, artifacts, the model registry, metrics and lineage.
 * Thread-safe. Every change of a model version, dataset or artifact commits together with the
 * event it emits (outbox): registering a version publishes {@code MODEL_GENERATED}, a stage change
 * {@code MODEL_<STAGE>}, with the model name as key, the model's namespace, and the version record
 * (JSON) as value; datasets and artifacts publish {@code DATASET_|ARTIFACT_} + {@code CREATED,
 * UPDATED, DELETED} keyed by their name — never a change without its event or an event without its
 * change. A call that throws changed nothing. A null or empty namespace means {@code default}.
 *
 * <p>Updates quote the {@code revision} they read; a stale revision is refused with a
 * {@link org.aiflow.api.error.ConflictException}.
 */
@ProviderType
public interface MetadataService {

    /** @throws org.aiflow.api.error.ConflictException if the namespace already has a model of that name */
    Model createModel(String namespace, String name, String description, Map<String, String> properties);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such model */
    Model model(String namespace, String name);

    /** A page of a namespace's models by name (the query's type is ignored). */
    List<Model> listModels(String namespace, ListQuery query);

    /** Replaces description and properties; {@code expectedRevision} must be the current revision. */
    Model updateModel(String namespace, String name, long expectedRevision, String description, Map<String, String> properties);

    /** Registers the next version of a model, stage GENERATED, and emits {@code MODEL_GENERATED}. */
    ModelVersion createModelVersion(String namespace, String modelName, ModelVersionDraft draft);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such version */
    ModelVersion modelVersion(String namespace, String modelName, int version);

    /** Versions of a model, ascending, after {@code afterVersion}, optionally only in one stage. */
    List<ModelVersion> listModelVersions(String namespace, String modelName, ModelStage stage, int afterVersion, int limit);

    /**
     * Moves a version to another stage along the allowed transitions ({@link ModelStage}) and emits
     * {@code MODEL_<STAGE>}. Promoting to DEPLOYED handles a deployed sibling as {@code mode} says.
     *
     * @param expectedRevision the revision read, or -1 to skip the check
     * @throws org.aiflow.api.error.ConflictException for a disallowed transition, a stale revision,
     *         or a deployed sibling under {@link PromotionMode#REFUSE_IF_DEPLOYED}
     */
    ModelVersion changeStage(String namespace, String modelName, int version, ModelStage target, long expectedRevision,
                             PromotionMode mode);

    /** The newest version of a model in a stage. */
    Optional<ModelVersion> latestVersion(String namespace, String modelName, ModelStage stage);

    /** Registers a dataset and emits {@code DATASET_CREATED} (key: the dataset name, value: the record). */
    Dataset createDataset(String namespace, DatasetDraft draft);

    /** A dataset, also a deleted one. @throws org.aiflow.api.error.NotFoundException if there is none */
    Dataset dataset(String namespace, String name);

    /** A page of a namespace's datasets by name; the query's type filters by format. */
    List<Dataset> listDatasets(String namespace, ListQuery query);

    /** Replaces a dataset's content (the name stays) and emits {@code DATASET_UPDATED}. */
    Dataset updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content);

    /** Marks a dataset deleted and emits {@code DATASET_DELETED}. */
    Dataset deleteDataset(String namespace, String name, long expectedRevision);

    /** Registers a project: the record of the namespace named like it. */
    Project createProject(ProjectDraft draft);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such project */
    Project project(String name);

    /** A page of projects by name (the query's type is ignored). */
    List<Project> listProjects(ListQuery query);

    /** Replaces a project's description, uri and properties; the name stays. */
    Project updateProject(String name, long expectedRevision, ProjectDraft content);

    /** Registers an artifact and emits {@code ARTIFACT_CREATED}. */
    Artifact createArtifact(String namespace, ArtifactDraft draft);

    /** An artifact, also a deleted one. @throws org.aiflow.api.error.NotFoundException if there is none */
    Artifact artifact(String namespace, String name);

    /** A page of a namespace's artifacts by name; the query's type filters by artifact type. */
    List<Artifact> listArtifacts(String namespace, ListQuery query);

    /** Replaces an artifact's content (the name stays) and emits {@code ARTIFACT_UPDATED}. */
    Artifact updateArtifact(String namespace, String name, long expectedRevision, ArtifactDraft content);

    /** Marks an artifact deleted and emits {@code ARTIFACT_DELETED}. */
    Artifact deleteArtifact(String namespace, String name, long expectedRevision);

    /**
     * Defines a metric of a dataset or a model.
     *
     * @throws org.aiflow.api.error.NotFoundException if the dataset or model it names does not exist
     * @throws org.aiflow.api.error.ConflictException if the namespace already has a metric of that name
     */
    MetricMeta createMetric(String namespace, MetricMetaDraft draft);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such metric */
    MetricMeta metric(String namespace, String name);

    /** A page of a namespace's metrics by name; the query's type filters by kind ({@code DATASET} or {@code MODEL}). */
    List<MetricMeta> listMetrics(String namespace, ListQuery query);

    /**
     * Logs values of a metric in one transaction: all of them are durable when this returns, or
     * none is stored.
     *
     * @param points 1 to 10,000 values
     * @return how many values were stored
     * @throws org.aiflow.api.error.NotFoundException if there is no such metric
     */
    int logMetrics(String namespace, String metricName, List<MetricPoint> points);

    /** A page of a metric's values in logging order. */
    List<MetricValue> metricValues(String namespace, String metricName, MetricQuery query);

    /**
     * Records that a task execution read or wrote records. Recording an edge that exists already
     * returns it unchanged, so a re-run of the same call is harmless.
     *
     * @throws org.aiflow.api.error.NotFoundException if the task execution or an entity does not exist
     */
    List<LineageEdge> recordLineage(String namespace, long taskExecutionId, LineageDirection direction,
                                    List<LineageEntity> entities);

    /** What a task execution read and wrote, in recording order. */
    List<LineageEdge> lineageOfTask(long taskExecutionId);

    /** Which task executions read or wrote a record (for a model, pass one version), in recording order. */
    List<LineageEdge> lineageOfEntity(String namespace, LineageEntity entity);

    /** The model's DEPLOYED version, if any. */
    default Optional<ModelVersion> deployedVersion(String namespace, String modelName) {
        return latestVersion(namespace, modelName, ModelStage.DEPLOYED);
    }
}
