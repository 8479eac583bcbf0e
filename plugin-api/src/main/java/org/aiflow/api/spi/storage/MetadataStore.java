package org.aiflow.api.spi.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of the model registry, implemented by storage backends. Thread-safe. Each
 * changing method is one transaction that also appends the events its {@code outbox} function
 * builds from the stored records, so a change and its events commit together or not at all.
 * Violations of uniqueness, revisions and stage rules raise the API's exceptions and change nothing.
 */
@ProviderType
public interface MetadataStore {

    Model createModel(String namespace, String name, String description, Map<String, String> properties);

    /** Stores a new dataset and the outbox's events; a ConflictException if the name is taken (also by a deleted one). */
    Dataset createDataset(String namespace, DatasetDraft draft, Function<Dataset, List<EventDraft>> outbox);

    Optional<Dataset> findDataset(String namespace, String name);

    List<Dataset> listDatasets(String namespace, String afterName, boolean includeDeleted, int limit);

    /**
     * Replaces content (or, with {@code delete}, marks deleted) if the revision still matches,
     * with the outbox's events; empty if there is no such dataset; a ConflictException if stale.
     */
    Optional<Dataset> updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content, boolean delete,
                                    Function<Dataset, List<EventDraft>> outbox);

    Optional<Model> findModel(String namespace, String name);

    List<Model> listModels(String namespace, String afterName, int limit);

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
}
