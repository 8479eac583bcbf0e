package org.aiflow.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /aiflow/v1/artifacts}: artifacts (files that are neither datasets nor models). The
 * namespace is the {@code namespace} query parameter; a list filters by {@code type}; changes quote
 * the {@code revision} they read (409 if stale); deletion is soft.
 */
@Component(service = ArtifactsResource.class)
@Path("artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class ArtifactsResource {

    public record Update(Long revision, ArtifactDraft artifact) {
        public Update {
            if (artifact == null) {
                throw new ValidationException("field 'artifact' (the new content) is required, with 'revision' (the revision you read)");
            }
        }
    }

    /** A page; {@code nextAfterName} is the older form of {@code nextPageToken} (the last name of a full page). */
    public record Artifacts(List<Artifact> artifacts, String nextPageToken, String nextAfterName) implements Paged {
    }

    private final MetadataService metadata;

    @Activate
    public ArtifactsResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response create(@QueryParam("namespace") String namespace, ArtifactDraft draft, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        Artifact d = metadata.createArtifact(namespace, draft);
        return Response.created(Rest.location("artifacts", d.name(), d.namespace())).entity(d).build();
    }

    @GET
    public Artifacts list(@QueryParam("namespace") String namespace, @QueryParam("namePrefix") String namePrefix,
                         @QueryParam("type") String type, @QueryParam("afterName") String afterName,
                         @QueryParam("includeDeleted") boolean includeDeleted, @QueryParam("pageToken") String pageToken,
                         @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        String filters = PageToken.filters(Rest.namespace(namespace), namePrefix, type, includeDeleted);
        ListQuery query = Rest.listQuery(namePrefix, type, Rest.after("artifacts", filters, pageToken, afterName, "afterName"), includeDeleted, limit);
        List<Artifact> page = metadata.listArtifacts(namespace, query);
        String next = Rest.nextAfterName(page, query, Artifact::name);
        return new Artifacts(page, PageToken.encode("artifacts", filters, next), next);
    }

    @GET
    @Path("{name}")
    public Artifact get(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        return metadata.artifact(namespace, name);
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Artifact update(@PathParam("name") String name, @QueryParam("namespace") String namespace, Update request,
                          @HeaderParam(Conditional.IF_MATCH) String ifMatch, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        long revision = Conditional.revision(request.revision(), ifMatch, () -> metadata.artifact(namespace, name).revision(), "field 'revision' is required: quote the revision you read");
        return metadata.updateArtifact(namespace, name, revision, request.artifact());
    }

    @DELETE
    @Path("{name}")
    public Artifact delete(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                          @QueryParam("revision") String revision, @HeaderParam(Conditional.IF_MATCH) String ifMatch,
                          @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        Long quoted = revision == null ? null : Rest.longParam(revision, "revision", 0, 0, Long.MAX_VALUE);
        long checked = Conditional.revision(quoted, ifMatch, () -> metadata.artifact(namespace, name).revision(),
                "query parameter 'revision' is required: quote the revision you read");
        return metadata.deleteArtifact(namespace, name, checked);
    }
}
