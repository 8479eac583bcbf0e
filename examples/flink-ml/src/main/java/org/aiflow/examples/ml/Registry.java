package org.aiflow.examples.ml;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetColumn;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.client.TaskContext;

/**
 * The platform calls of the jobs, through the Java client. Serializable so operators carry it (and
 * its {@link TaskContext}) to the task managers; the client is created on first use where it runs,
 * by {@link TaskContext#connect()}. With {@code --aiflow-url
 * none} it is {@linkplain #enabled() disabled}: the jobs then skip every platform call (unit tests,
 * runs by hand). With a token ({@code --aiflow-token}, the task's own {@code ${aiflow.token}}) every
 * call carries {@code Authorization: Bearer <token>}: the platform knows the job as its task, allowed
 * to act ({@code operator}) in the task's namespace only, until the task ends.
 */
public final class Registry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The schema of the example's CSV files. */
    public static final List<DatasetColumn> SCHEMA = List.of(
            new DatasetColumn("x1", "DOUBLE"), new DatasetColumn("x2", "DOUBLE"), new DatasetColumn("label", "INT"));

    private final String url;
    private final String namespace;
    // the task context the client is built from where the registry runs (job manager, task managers)
    private final TaskContext context;
    private transient MetadataService metadata;

    /** A registry calling without credentials. */
    public Registry(String url, String namespace) {
        this(url, null, namespace);
    }

    /** @param token the bearer token every call sends; null or blank: none */
    public Registry(String url, String token, String namespace) {
        this("none".equalsIgnoreCase(url) ? null : contextOf(url, token, namespace), url, namespace);
    }

    /** A registry for a task of the platform: its URL, token and namespace ({@link TaskContext}). */
    public Registry(TaskContext context) {
        this(context, context.url(), context.namespace());
    }

    private Registry(TaskContext context, String url, String namespace) {
        this.context = context;
        this.url = url;
        this.namespace = namespace;
    }

    /** A registry that makes no platform calls ({@code --aiflow-url none}). */
    public static Registry disabled(String namespace) {
        return new Registry((TaskContext) null, "none", namespace);
    }

    private static TaskContext contextOf(String url, String token, String namespace) {
        try {
            return TaskContext.of(Map.of(), null, List.of("--aiflow-url", url, "--aiflow-token", token == null ? "" : token,
                    "--aiflow-namespace", namespace == null ? "" : namespace));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--aiflow-url must be an http(s) URL or 'none', got '" + url + "'", e);
        }
    }

    /** False for {@code --aiflow-url none}: no platform calls at all. */
    public boolean enabled() {
        return context != null;
    }

    public String namespace() {
        return namespace;
    }

    private MetadataService metadata() {
        if (!enabled()) {
            throw new IllegalStateException("the platform is disabled (--aiflow-url none)");
        }
        if (metadata == null) {
            metadata = context.connect().metadata();
        }
        return metadata;
    }

    /** The registered dataset of that name, if any and not deleted. */
    public Optional<Dataset> dataset(String name) {
        try {
            Dataset d = metadata().dataset(namespace, name);
            return d.deleted() ? Optional.empty() : Optional.of(d);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Registers a CSV dataset of the example's schema unless one of that name exists. */
    public Dataset ensureDataset(String name, String uri) {
        Optional<Dataset> existing = dataset(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return metadata().createDataset(namespace, new DatasetDraft(name, uri, "csv", SCHEMA,
                    "two-class sample data of the ML lifecycle example (x1, x2 -> label)", null, Map.of()));
        } catch (ConflictException e) {
            return metadata().dataset(namespace, name);
        }
    }

    /** Registers the model unless it exists. */
    public void ensureModel(String name) {
        try {
            metadata().model(namespace, name);
        } catch (NotFoundException e) {
            try {
                metadata().createModel(namespace, name, "logistic regression of the ML lifecycle example", Map.of());
            } catch (ConflictException ignored) {
                // created meanwhile: fine
            }
        }
    }

    /** Registers a new version, stage GENERATED (the platform publishes {@code MODEL_GENERATED}). */
    public ModelVersion createVersion(String model, ModelVersionDraft draft) {
        return metadata().createModelVersion(namespace, model, draft);
    }

    /** The newest version of the model in the stage; empty also if there is no such model. */
    public Optional<ModelVersion> latest(String model, ModelStage stage) {
        try {
            return metadata().latestVersion(namespace, model, stage);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Moves the version to {@code target}; a DEPLOYED target deprecates the previously deployed version. */
    public ModelVersion changeStage(ModelVersion version, ModelStage target) {
        return metadata().changeStage(namespace, version.modelName(), version.version(), target, version.revision(),
                PromotionMode.DEPRECATE_PREVIOUS);
    }

    /**
     * Logs one value of a MODEL metric for a model version, defining the metric first if it is not.
     * Metric names are unique per namespace: the first model to log one owns it.
     */
    public void logModelMetric(String metric, String model, double value, int version, long taskExecutionId) {
        try {
            metadata().metric(namespace, metric);
        } catch (NotFoundException e) {
            try {
                metadata().createMetric(namespace, new MetricMetaDraft(metric, MetricKind.MODEL, null, model,
                        metric + " of the versions of model " + model, Map.of()));
            } catch (ConflictException ignored) {
                // defined meanwhile: fine
            }
        }
        metadata().logMetrics(namespace, metric, List.of(new MetricPoint(metric, value, null, null, version,
                taskExecutionId > 0 ? taskExecutionId : null)));
    }

    /** Records what a task execution read or wrote; nothing if {@code taskExecutionId} is 0 (none). */
    public void lineage(long taskExecutionId, LineageDirection direction, LineageEntity... entities) {
        if (taskExecutionId > 0 && entities.length > 0) {
            metadata().recordLineage(namespace, taskExecutionId, direction, List.of(entities));
        }
    }

    @Override
    public String toString() {
        return enabled() ? url + " (namespace " + namespace + (context.token() == null ? "" : ", with a token") + ")" : "none";
    }
}
