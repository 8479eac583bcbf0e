package org.aiflow.rest;

import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /aiflow/v1/models}: the model registry's models ({@link ModelVersionsResource} has their
 * versions). The namespace is the {@code namespace} query
 * parameter (default {@code default}). Updates quote the {@code revision} they read: a stale one
 * is a 409; so is a stage transition the rules do not allow.
 */
@Component(service = ModelsResource.class)
@Path("models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    public record CreateModel(String namespace, String name, String description, Map<String, String> properties) {
    }

    public record UpdateModel(Long revision, String description, Map<String, String> properties) {
        public UpdateModel {
            // revision: checked by the resource, where the header If-Match may stand in for it
        }
    }

    /** A page; {@code nextAfterName} is the older form of {@code nextPageToken} (the last name of a full page). */
    public record Models(List<Model> models, String nextPageToken, String nextAfterName) implements Paged {
    }

    private final MetadataService metadata;

    @Activate
    public ModelsResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response create(@QueryParam("namespace") String namespace, CreateModel request, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        if (request.namespace() != null && namespace != null && !request.namespace().equals(namespace)) {
            throw new ValidationException("the body says namespace '" + request.namespace() + "' but the query says '" + namespace + "'");
        }
        Model m = metadata.createModel(request.namespace() != null ? request.namespace() : namespace, request.name(),
                request.description(), request.properties());
        return Response.created(Rest.location("models", m.name(), m.namespace())).entity(m).build();
    }

    @GET
    public Models list(@QueryParam("namespace") String namespace, @QueryParam("namePrefix") String namePrefix,
                       @QueryParam("afterName") String afterName, @QueryParam("pageToken") String pageToken,
                       @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        String filters = PageToken.filters(Rest.namespace(namespace), namePrefix);
        ListQuery query = Rest.listQuery(namePrefix, null, Rest.after("models", filters, pageToken, afterName, "afterName"), false, limit);
        List<Model> page = metadata.listModels(namespace, query);
        String next = Rest.nextAfterName(page, query, Model::name);
        return new Models(page, PageToken.encode("models", filters, next), next);
    }

    @GET
    @Path("{name}")
    public Model get(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        return metadata.model(namespace, name);
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Model update(@PathParam("name") String name, @QueryParam("namespace") String namespace, UpdateModel request,
                        @HeaderParam(Conditional.IF_MATCH) String ifMatch, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        long revision = Conditional.revision(request.revision(), ifMatch, () -> metadata.model(namespace, name).revision(),
                "field 'revision' is required: quote the revision you read");
        return metadata.updateModel(namespace, name, revision, request.description(), request.properties());
    }

    @GET
    @Path("{name}/deployed")
    public ModelVersion deployed(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        metadata.model(namespace, name);
        return metadata.deployedVersion(namespace, name)
                .orElseThrow(() -> new NotFoundException("model " + name + " has no DEPLOYED version"));
    }
}
