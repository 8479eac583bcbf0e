package org.aiflow.api.metadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The model registry. Thread-safe. Every change commits together with the event it emits (outbox):
 * registering a version publishes {@code MODEL_GENERATED}, a stage change {@code MODEL_<STAGE>},
 * with the model name as key, the model's namespace, and the version record (JSON) as value — never
 * a change without its event or an event without its change. A call that throws changed nothing.
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

    /** Models of a namespace by name, after {@code afterName} (null: from the start), at most {@code limit} (1-1000). */
    List<Model> listModels(String namespace, String afterName, int limit);

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

    /** Datasets of a namespace by name after {@code afterName}; deleted ones only if asked for. */
    List<Dataset> listDatasets(String namespace, String afterName, boolean includeDeleted, int limit);

    /** Replaces a dataset's content (the name stays) and emits {@code DATASET_UPDATED}. */
    Dataset updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content);

    /** Marks a dataset deleted and emits {@code DATASET_DELETED}. */
    Dataset deleteDataset(String namespace, String name, long expectedRevision);

    /** The model's DEPLOYED version, if any. */
    default Optional<ModelVersion> deployedVersion(String namespace, String modelName) {
        return latestVersion(namespace, modelName, ModelStage.DEPLOYED);
    }
}
