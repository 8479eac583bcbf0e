package org.aiflow.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
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
import org.aiflow.api.metadata.PromotionMode;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@link MetadataService} over the REST API, so code written against the service runs inside the
 * platform or outside it unchanged. GETs and idempotent calls (lineage, stage changes that quote a
 * revision) are retried after failures; creations and metric logging are sent once, because a
 * lost answer must not become a second model version or a second batch of values.
 */
final class RemoteMetadataService implements MetadataService {
    private final RestTransport rest;

    RemoteMetadataService(RestTransport rest) {
        this.rest = rest;
    }

    // ---------------------------------------------------------------- models

    @Override
    public Model createModel(String namespace, String name, String description, Map<String, String> properties) {
        Map<String, Object> body = new HashMap<>();
        body.put("namespace", namespace);
        body.put("name", name);
        body.put("description", description);
        body.put("properties", properties);
        return rest.call("POST", "models", body, false, Model.class);
    }

    @Override
    public Model model(String namespace, String name) {
        return rest.call("GET", "models/" + RestTransport.segment(name) + query("namespace", namespace), null, true, Model.class);
    }

    @Override
    public List<Model> listModels(String namespace, ListQuery q) {
        return rest.field("GET", "models" + query("namespace", namespace, "namePrefix", q.namePrefix(), "afterName", q.afterName(),
                "limit", q.limit()), null, true, "models", new TypeReference<List<Model>>() {
                });
    }

    @Override
    public Model updateModel(String namespace, String name, long expectedRevision, String description, Map<String, String> properties) {
        Map<String, Object> body = new HashMap<>();
        body.put("revision", expectedRevision);
        body.put("description", description);
        body.put("properties", properties);
        return rest.call("PUT", "models/" + RestTransport.segment(name) + query("namespace", namespace), body, true, Model.class);
    }

    @Override
    public ModelVersion createModelVersion(String namespace, String modelName, ModelVersionDraft draft) {
        return rest.call("POST", versions(modelName) + query("namespace", namespace), draft, false, ModelVersion.class);
    }

    @Override
    public ModelVersion modelVersion(String namespace, String modelName, int version) {
        return rest.call("GET", versions(modelName) + "/" + version + query("namespace", namespace), null, true, ModelVersion.class);
    }

    @Override
    public List<ModelVersion> listModelVersions(String namespace, String modelName, ModelStage stage, int afterVersion, int limit) {
        return rest.field("GET", versions(modelName) + query("namespace", namespace, "stage", stage, "afterVersion", afterVersion,
                "limit", limit), null, true, "versions", new TypeReference<List<ModelVersion>>() {
                });
    }

    @Override
    public ModelVersion changeStage(String namespace, String modelName, int version, ModelStage target, long expectedRevision,
                                    PromotionMode mode) {
        Map<String, Object> body = new HashMap<>();
        body.put("stage", target);
        body.put("revision", expectedRevision < 0 ? null : expectedRevision);
        body.put("mode", mode);
        return rest.call("POST", versions(modelName) + "/" + version + "/stage" + query("namespace", namespace), body,
                expectedRevision >= 0, ModelVersion.class);
    }

    @Override
    public Optional<ModelVersion> latestVersion(String namespace, String modelName, ModelStage stage) {
        try {
            return Optional.of(rest.call("GET", versions(modelName) + "/latest" + query("namespace", namespace, "stage", stage), null,
                    true, ModelVersion.class));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static String versions(String modelName) {
        return "models/" + RestTransport.segment(modelName) + "/versions";
    }

    // ---------------------------------------------------------------- datasets

    @Override
    public Dataset createDataset(String namespace, DatasetDraft draft) {
        return rest.call("POST", "datasets" + query("namespace", namespace), draft, false, Dataset.class);
    }

    @Override
    public Dataset dataset(String namespace, String name) {
        return rest.call("GET", "datasets/" + RestTransport.segment(name) + query("namespace", namespace), null, true, Dataset.class);
    }

    @Override
    public List<Dataset> listDatasets(String namespace, ListQuery q) {
        return rest.field("GET", "datasets" + query("namespace", namespace, "namePrefix", q.namePrefix(), "format", q.type(),
                "afterName", q.afterName(), "includeDeleted", q.includeDeleted(), "limit", q.limit()), null, true, "datasets",
                new TypeReference<List<Dataset>>() {
                });
    }

    @Override
    public Dataset updateDataset(String namespace, String name, long expectedRevision, DatasetDraft content) {
        return rest.call("PUT", "datasets/" + RestTransport.segment(name) + query("namespace", namespace),
                Map.of("revision", expectedRevision, "dataset", content), true, Dataset.class);
    }

    @Override
    public Dataset deleteDataset(String namespace, String name, long expectedRevision) {
        return rest.call("DELETE", "datasets/" + RestTransport.segment(name) + query("namespace", namespace, "revision", expectedRevision),
                null, true, Dataset.class);
    }

    // ---------------------------------------------------------------- projects

    @Override
    public Project createProject(ProjectDraft draft) {
        return rest.call("POST", "projects", draft, false, Project.class);
    }

    @Override
    public Project project(String name) {
        return rest.call("GET", "projects/" + RestTransport.segment(name), null, true, Project.class);
    }

    @Override
    public List<Project> listProjects(ListQuery q) {
        return rest.field("GET", "projects" + query("namePrefix", q.namePrefix(), "afterName", q.afterName(), "limit", q.limit()),
                null, true, "projects", new TypeReference<List<Project>>() {
                });
    }

    @Override
    public Project updateProject(String name, long expectedRevision, ProjectDraft content) {
        return rest.call("PUT", "projects/" + RestTransport.segment(name), Map.of("revision", expectedRevision, "project", content),
                true, Project.class);
    }

    // ---------------------------------------------------------------- artifacts

    @Override
    public Artifact createArtifact(String namespace, ArtifactDraft draft) {
        return rest.call("POST", "artifacts" + query("namespace", namespace), draft, false, Artifact.class);
    }

    @Override
    public Artifact artifact(String namespace, String name) {
        return rest.call("GET", "artifacts/" + RestTransport.segment(name) + query("namespace", namespace), null, true, Artifact.class);
    }

    @Override
    public List<Artifact> listArtifacts(String namespace, ListQuery q) {
        return rest.field("GET", "artifacts" + query("namespace", namespace, "namePrefix", q.namePrefix(), "type", q.type(),
                "afterName", q.afterName(), "includeDeleted", q.includeDeleted(), "limit", q.limit()), null, true, "artifacts",
                new TypeReference<List<Artifact>>() {
                });
    }

    @Override
    public Artifact updateArtifact(String namespace, String name, long expectedRevision, ArtifactDraft content) {
        return rest.call("PUT", "artifacts/" + RestTransport.segment(name) + query("namespace", namespace),
                Map.of("revision", expectedRevision, "artifact", content), true, Artifact.class);
    }

    @Override
    public Artifact deleteArtifact(String namespace, String name, long expectedRevision) {
        return rest.call("DELETE", "artifacts/" + RestTransport.segment(name) + query("namespace", namespace, "revision", expectedRevision),
                null, true, Artifact.class);
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public MetricMeta createMetric(String namespace, MetricMetaDraft draft) {
        return rest.call("POST", "metrics" + query("namespace", namespace), draft, false, MetricMeta.class);
    }

    @Override
    public MetricMeta metric(String namespace, String name) {
        return rest.call("GET", "metrics/" + RestTransport.segment(name) + query("namespace", namespace), null, true, MetricMeta.class);
    }

    @Override
    public List<MetricMeta> listMetrics(String namespace, ListQuery q) {
        return rest.field("GET", "metrics" + query("namespace", namespace, "namePrefix", q.namePrefix(), "kind", q.type(),
                "afterName", q.afterName(), "limit", q.limit()), null, true, "metrics", new TypeReference<List<MetricMeta>>() {
                });
    }

    @Override
    public int logMetrics(String namespace, String metricName, List<MetricPoint> points) {
        return rest.call("POST", "metrics/" + RestTransport.segment(metricName) + "/values" + query("namespace", namespace),
                Map.of("values", points), false, JsonNode.class).get("logged").asInt();
    }

    @Override
    public List<MetricValue> metricValues(String namespace, String metricName, MetricQuery q) {
        return rest.field("GET", "metrics/" + RestTransport.segment(metricName) + "/values" + query("namespace", namespace,
                "key", q.key(), "modelVersion", q.modelVersion(), "taskExecutionId", q.taskExecutionId(), "from", q.from(),
                "until", q.until(), "afterId", q.afterId(), "limit", q.limit()), null, true, "values",
                new TypeReference<List<MetricValue>>() {
                });
    }

    // ---------------------------------------------------------------- lineage

    private static final TypeReference<List<LineageEdge>> EDGES = new TypeReference<>() {
    };

    @Override
    public List<LineageEdge> recordLineage(String namespace, long taskExecutionId, LineageDirection direction,
                                           List<LineageEntity> entities) {
        Map<String, Object> body = new HashMap<>();
        body.put("namespace", namespace);
        body.put("taskExecutionId", taskExecutionId);
        body.put("direction", direction);
        body.put("entities", entities);
        return rest.field("POST", "lineage", body, true, "edges", EDGES);
    }

    @Override
    public List<LineageEdge> lineageOfTask(long taskExecutionId) {
        return rest.field("GET", "lineage" + query("taskExecutionId", taskExecutionId), null, true, "edges", EDGES);
    }

    @Override
    public List<LineageEdge> lineageOfEntity(String namespace, LineageEntity entity) {
        return rest.field("GET", "lineage" + query("namespace", namespace, "kind", entity.kind(), "name", entity.name(),
                "version", entity.version()), null, true, "edges", EDGES);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code ?a=1&b=2} from name/value pairs, leaving out null values; empty if all are null. */
    private static String query(Object... pairs) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value != null) {
                q.add(pairs[i] + "=" + RestTransport.encode(value.toString()));
            }
        }
        return q.toString();
    }
}
