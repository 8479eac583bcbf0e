package org.aiflow.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /aiflow/v1/models}: the model registry. The namespace is the {@code namespace} query
 * parameter (default {@code default}). Updates quote the {@code revision} they read: a stale one
 * is a 409; so is a stage transition the rules do not allow.
 */
@Component(service = ModelsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Rest.APP_SELECT)
@Path("models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    public record CreateModel(String namespace, String name, String description, Map<String, String> properties) {
    }

    public record UpdateModel(Long revision, String description, Map<String, String> properties) {
        public UpdateModel {
            if (revision == null) {
                throw new ValidationException("field 'revision' is required: quote the revision you read");
            }
        }
    }

    public record StageChange(ModelStage stage, Long revision, PromotionMode mode) {
        public StageChange {
            if (stage == null) {
                throw new ValidationException("field 'stage' is required (GENERATED, VALIDATED, DEPLOYED, DEPRECATED, DELETED)");
            }
        }
    }

    public record Models(List<Model> models, String nextAfterName) {
    }

    public record Versions(List<ModelVersion> versions) {
    }

    private final MetadataService metadata;

    @Activate
    public ModelsResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@QueryParam("namespace") String namespace, CreateModel request) {
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        if (request.namespace() != null && namespace != null && !request.namespace().equals(namespace)) {
            throw new ValidationException("the body says namespace '" + request.namespace() + "' but the query says '" + namespace + "'");
        }
        Model m = metadata.createModel(request.namespace() != null ? request.namespace() : namespace, request.name(),
                request.description(), request.properties());
        return Response.created(URI.create("models/" + encode(m.name()) + "?namespace=" + m.namespace())).entity(m).build();
    }

    @GET
    public Models list(@QueryParam("namespace") String namespace, @QueryParam("namePrefix") String namePrefix,
                       @QueryParam("afterName") String afterName, @QueryParam("limit") String limit) {
        ListQuery query = Rest.listQuery(namePrefix, null, afterName, false, limit);
        List<Model> page = metadata.listModels(namespace, query);
        return new Models(page, Rest.nextAfterName(page, query, Model::name));
    }

    @GET
    @Path("{name}")
    public Model get(@PathParam("name") String name, @QueryParam("namespace") String namespace) {
        return metadata.model(namespace, name);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Model update(@PathParam("name") String name, @QueryParam("namespace") String namespace, UpdateModel request) {
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        return metadata.updateModel(namespace, name, request.revision(), request.description(), request.properties());
    }

    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createVersion(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                                  ModelVersionDraft draft) {
        ModelVersion v = metadata.createModelVersion(namespace, name, draft);
        return Response.created(URI.create("models/" + encode(name) + "/versions/" + v.version() + "?namespace=" + v.namespace()))
                .entity(v).build();
    }

    @GET
    @Path("{name}/versions")
    public Versions versions(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                             @QueryParam("stage") String stage, @QueryParam("afterVersion") String after,
                             @QueryParam("limit") String limit) {
        return new Versions(metadata.listModelVersions(namespace, name, stage(stage),
                (int) Rest.longParam(after, "afterVersion", 0, 0, Integer.MAX_VALUE), (int) Rest.longParam(limit, "limit", 100, 1, 1000)));
    }

    @GET
    @Path("{name}/versions/{version}")
    public ModelVersion version(@PathParam("name") String name, @PathParam("version") String version,
                                @QueryParam("namespace") String namespace) {
        return metadata.modelVersion(namespace, name, (int) Rest.longParam(version, "version", 0, 1, Integer.MAX_VALUE));
    }

    /** The newest version in {@code stage}; 404 if there is none. */
    @GET
    @Path("{name}/versions/latest")
    public ModelVersion latest(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                               @QueryParam("stage") String stage) {
        ModelStage s = stage(stage);
        if (s == null) {
            throw new ValidationException("query parameter 'stage' is required");
        }
        return metadata.latestVersion(namespace, name, s)
                .orElseThrow(() -> new NotFoundException("model " + name + " has no " + s + " version"));
    }

    @GET
    @Path("{name}/deployed")
    public ModelVersion deployed(@PathParam("name") String name, @QueryParam("namespace") String namespace) {
        metadata.model(namespace, name);
        return metadata.deployedVersion(namespace, name)
                .orElseThrow(() -> new NotFoundException("model " + name + " has no DEPLOYED version"));
    }

    @POST
    @Path("{name}/versions/{version}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelVersion changeStage(@PathParam("name") String name, @PathParam("version") String version,
                                    @QueryParam("namespace") String namespace, StageChange request) {
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        return metadata.changeStage(namespace, name, (int) Rest.longParam(version, "version", 0, 1, Integer.MAX_VALUE),
                request.stage(), request.revision() == null ? -1 : request.revision(),
                request.mode() == null ? PromotionMode.DEPRECATE_PREVIOUS : request.mode());
    }

    private static ModelStage stage(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return ModelStage.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("query parameter 'stage' must be one of " + List.of(ModelStage.values()));
        }
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
