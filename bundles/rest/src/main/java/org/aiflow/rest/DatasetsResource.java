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
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /aiflow/v1/datasets}: datasets with schema and catalog fields. The namespace is the
 * {@code namespace} query parameter; changes quote the {@code revision} they read (409 if stale);
 * deletion is soft.
 */
@Component(service = DatasetsResource.class)
@Path("datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetsResource {

    public record Update(Long revision, DatasetDraft dataset) {
        public Update {
            if (dataset == null) {
                throw new ValidationException("field 'dataset' (the new content) is required, with 'revision' (the revision you read)");
            }
        }
    }

    /** A page; {@code nextAfterName} is the older form of {@code nextPageToken} (the last name of a full page). */
    public record Datasets(List<Dataset> datasets, String nextPageToken, String nextAfterName) implements Paged {
    }

    private final MetadataService metadata;

    @Activate
    public DatasetsResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response create(@QueryParam("namespace") String namespace, DatasetDraft draft, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        Dataset d = metadata.createDataset(namespace, draft);
        return Response.created(Rest.location("datasets", d.name(), d.namespace())).entity(d).build();
    }

    @GET
    public Datasets list(@QueryParam("namespace") String namespace, @QueryParam("namePrefix") String namePrefix,
                         @QueryParam("format") String format, @QueryParam("afterName") String afterName,
                         @QueryParam("includeDeleted") boolean includeDeleted, @QueryParam("pageToken") String pageToken,
                         @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        String filters = PageToken.filters(Rest.namespace(namespace), namePrefix, format, includeDeleted);
        ListQuery query = Rest.listQuery(namePrefix, format, Rest.after("datasets", filters, pageToken, afterName, "afterName"), includeDeleted, limit);
        List<Dataset> page = metadata.listDatasets(namespace, query);
        String next = Rest.nextAfterName(page, query, Dataset::name);
        return new Datasets(page, PageToken.encode("datasets", filters, next), next);
    }

    @GET
    @Path("{name}")
    public Dataset get(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        return metadata.dataset(namespace, name);
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Dataset update(@PathParam("name") String name, @QueryParam("namespace") String namespace, Update request,
                          @HeaderParam(Conditional.IF_MATCH) String ifMatch, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        long revision = Conditional.revision(request.revision(), ifMatch, () -> metadata.dataset(namespace, name).revision(), "field 'revision' is required: quote the revision you read");
        return metadata.updateDataset(namespace, name, revision, request.dataset());
    }

    @DELETE
    @Path("{name}")
    public Dataset delete(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                          @QueryParam("revision") String revision, @HeaderParam(Conditional.IF_MATCH) String ifMatch,
                          @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        Long quoted = revision == null ? null : Rest.longParam(revision, "revision", 0, 0, Long.MAX_VALUE);
        long checked = Conditional.revision(quoted, ifMatch, () -> metadata.dataset(namespace, name).revision(),
                "query parameter 'revision' is required: quote the revision you read");
        return metadata.deleteDataset(namespace, name, checked);
    }
}
