package org.aiflow.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /aiflow/v1/lineage}: which task execution read or wrote which dataset, artifact or model
 * version. {@code POST} records edges (idempotent); {@code GET} asks by {@code taskExecutionId}, or
 * by entity ({@code kind}, {@code name}, and {@code version} for a model version).
 */
@Component(service = LineageResource.class)
@Path("lineage")
@Produces(MediaType.APPLICATION_JSON)
public class LineageResource {

    public record RecordRequest(String namespace, Long taskExecutionId, LineageDirection direction, List<EntityRequest> entities) {
        public RecordRequest {
            if (taskExecutionId == null || direction == null || entities == null) {
                throw new ValidationException("fields 'taskExecutionId', 'direction' (READ or WROTE) and 'entities' are required");
            }
        }

        /** The entities as the API's records; a null entry is a 400 naming it. */
        List<LineageEntity> lineageEntities() {
            List<LineageEntity> out = new java.util.ArrayList<>(entities.size());
            for (int i = 0; i < entities.size(); i++) {
                EntityRequest e = entities.get(i);
                if (e == null) {
                    throw new ValidationException("field 'entities[" + i + "]' must be an object {\"kind\", \"name\", \"version\"}");
                }
                out.add(e.entity());
            }
            return out;
        }
    }

    /**
     * One entity as sent: {@code version} only for a MODEL_VERSION. A dataset or artifact may leave it
     * out (it was a 400 "must be an integer" before: the API record's version is an {@code int}).
     */
    public record EntityRequest(LineageEntity.Kind kind, String name, Integer version) {
        LineageEntity entity() {
            return new LineageEntity(kind, name, version == null ? 0 : version);
        }
    }

    public record Edges(List<LineageEdge> edges) {
    }

    private final MetadataService metadata;

    @Activate
    public LineageResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Edges record(RecordRequest request, @Context SecurityContext sc) {
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(request.namespace()));
        return new Edges(metadata.recordLineage(request.namespace(), request.taskExecutionId(), request.direction(),
                request.lineageEntities()));
    }

    @GET
    public Edges query(@QueryParam("taskExecutionId") String taskExecutionId, @QueryParam("namespace") String namespace,
                       @QueryParam("kind") String kind, @QueryParam("name") String name, @QueryParam("version") String version,
                       @Context SecurityContext sc) {
        org.aiflow.api.security.Caller caller = Callers.of(sc);
        if (taskExecutionId != null) {
            if (kind != null || name != null) {
                throw new ValidationException("ask either by 'taskExecutionId' or by entity ('kind', 'name', 'version'), not both");
            }
            return new Edges(caller.readable(metadata.lineageOfTask(Rest.longParam(taskExecutionId, "taskExecutionId", 0, 0,
                    Long.MAX_VALUE)), LineageEdge::namespace));
        }
        if (kind == null || name == null) {
            throw new ValidationException("give 'taskExecutionId', or 'kind' (DATASET, ARTIFACT, MODEL_VERSION) and 'name'");
        }
        LineageEntity.Kind entityKind;
        try {
            entityKind = LineageEntity.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("query parameter 'kind' must be DATASET, ARTIFACT or MODEL_VERSION, not '" + kind + "'");
        }
        caller.require(Role.VIEWER, Rest.namespace(namespace));
        int v = (int) Rest.longParam(version, "version", 0, 0, Integer.MAX_VALUE);
        return new Edges(metadata.lineageOfEntity(namespace, new LineageEntity(entityKind, name, v)));
    }
}
