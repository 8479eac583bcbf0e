package org.aiflow.api.spi.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.metadata.ProjectDraft;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of the metadata service, implemented by storage backends. Thread-safe. Inputs
 * arrive validated (drafts, queries, namespaces); names match exactly (a name prefix filter treats
 * {@code %} and {@code _} as plain characters). Each
 * changing method is one transaction that also appends the events its {@code outbox} function
 * builds from the stored records, so a change and its events commit together or not at all.
 * Violations of uniqueness, revisions and stage rules raise the API's exceptions and change nothing.
 *
 * <p><b>Threads.</b> Called concurrently by the metadata service on its callers' threads (REST,
 * console, jobs' clients).
 *
 * <p><b>Idempotency and state.</b> Creating what exists raises a conflict and changes nothing;
 * updates carry the revision they expect. The backend persists the whole metadata model (projects,
 * datasets, models and versions, artifacts, metrics, lineage); the service keeps nothing of it in
 * memory that a restart would lose.
 */
@ProviderType
public interface MetadataStore {

    Model createModel(String namespace, String name, String description, Map<String, String> properties);

    /** Stores a new dataset and the outbox's events; a ConflictException if the name is taken (also by a deleted one). */
    Dataset createDataset(String namespace, DatasetDraft draft, Function<Dataset, List<EventDraft>> outbox);

    Optional<Dataset> findDataset(String namespace, String name);

    /** The query's type filters by format. */
    List<Dataset> listDatasets(String namespace, ListQuery query);

    /**
     * Replaces content (or, with {@code delete}, marks deleted) if the revision still matches,
     * with the outbox's events; empty if there is no such dataset; a ConflictException if stale.
     */
    Optional<Dataset> updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content, boolean delete,
                                    Function<Dataset, List<EventDraft>> outbox);

    Optional<Model> findModel(String namespace, String name);

    List<Model> listModels(String namespace, ListQuery query);

    /** @return the updated model; empty if it does not exist; a ConflictException if the revision is stale */
    Optional<Model> updateModel(String namespace, String name, long expectedRevision, String description,
                                Map<String, String> properties);

    /** Stores the next version (GENERATED) and the outbox's events for it. */
    ModelVersion createModelVersion(String namespace, String modelName, ModelVersionDraft draft,
                                    Function<ModelVersion, List<EventDraft>> outbox);

    Optional<ModelVersion> findModelVersion(String namespace, String modelName, int version);

    List<ModelVersion> listModelVersions(String namespace, String modelName, ModelStage stage, int afterVersion, int limit);

    /**
     * Sets the stages of versions of one model in one transaction, each from the stage and revision
     * it was read with (compare-and-set), and appends the outbox's events for every changed version.
     *
     * @param changes the versions as read, each with its new stage
     * @throws org.aiflow.api.error.ConflictException if any version changed since it was read; then nothing changed
     */
    List<ModelVersion> changeStages(List<Map.Entry<ModelVersion, ModelStage>> changes,
                                    Function<ModelVersion, List<EventDraft>> outbox);

    /** The newest version of a model in a stage. */
    Optional<ModelVersion> findLatestVersion(String namespace, String modelName, ModelStage stage);

    /** A ConflictException if the name is taken. */
    Project createProject(ProjectDraft draft);

    Optional<Project> findProject(String name);

    List<Project> listProjects(ListQuery query);

    /** Empty if there is no such project; a ConflictException if the revision is stale. */
    Optional<Project> updateProject(String name, long expectedRevision, ProjectDraft content);

    /** Stores a new artifact and the outbox's events; a ConflictException if the name is taken (also by a deleted one). */
    Artifact createArtifact(String namespace, ArtifactDraft draft, Function<Artifact, List<EventDraft>> outbox);

    Optional<Artifact> findArtifact(String namespace, String name);

    /** The query's type filters by artifact type. */
    List<Artifact> listArtifacts(String namespace, ListQuery query);

    /** As {@link #updateDataset}, for an artifact. */
    Optional<Artifact> updateArtifact(String namespace, String name, long expectedRevision, ArtifactDraft content, boolean delete,
                                      Function<Artifact, List<EventDraft>> outbox);

    /** A NotFoundException if the dataset or model it names does not exist; a ConflictException if the name is taken. */
    MetricMeta createMetric(String namespace, MetricMetaDraft draft);

    Optional<MetricMeta> findMetric(String namespace, String name);

    /** The query's type filters by kind. */
    List<MetricMeta> listMetrics(String namespace, ListQuery query);

    /** Stores every point in one transaction; a NotFoundException if there is no such metric. */
    int logMetrics(String namespace, String metricName, List<MetricPoint> points);

    /** A NotFoundException if there is no such metric. */
    List<MetricValue> metricValues(String namespace, String metricName, MetricQuery query);

    /**
     * Stores the edges that do not exist yet, in one transaction, and returns all of them.
     * A NotFoundException if the task execution or an entity (a deleted one counts) does not exist.
     */
    List<LineageEdge> recordLineage(String namespace, long taskExecutionId, LineageDirection direction,
                                    List<LineageEntity> entities);

    List<LineageEdge> lineageOfTask(long taskExecutionId);

    List<LineageEdge> lineageOfEntity(String namespace, LineageEntity entity);
}
