package org.aiflow.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
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
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /aiflow/v1/models/{name}/versions}: a model's versions and their stages. A class of its own
 * rather than more methods of {@link ModelsResource}: CXF tries every method of the matched class
 * against each request (and formats a log message for each, logged or not), so the model reads
 * only pay for the model's own methods.
 */
@Component(service = ModelVersionsResource.class)
@Path("models/{name}/versions")
@Produces(MediaType.APPLICATION_JSON)
public class ModelVersionsResource {

    public record StageChange(ModelStage stage, Long revision, PromotionMode mode) {
        public StageChange {
            if (stage == null) {
                throw new ValidationException("field 'stage' is required (GENERATED, VALIDATED, DEPLOYED, DEPRECATED, DELETED)");
            }
        }
    }

    /** A page, oldest version first; the older form of {@code nextPageToken} is {@code afterVersion} = the last version. */
    public record Versions(List<ModelVersion> versions, String nextPageToken) implements Paged {
    }

    private final MetadataService metadata;
    private final AuditLog audit;

    @Activate
    public ModelVersionsResource(@Reference MetadataService metadata, @Reference AuditLog audit) {
        this.metadata = metadata;
        this.audit = audit;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response createVersion(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                                  ModelVersionDraft draft, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        ModelVersion v = metadata.createModelVersion(namespace, name, draft);
        return Response.created(Rest.location("models/" + Rest.segment(name) + "/versions", Integer.toString(v.version()), v.namespace()))
                .entity(v).build();
    }

    @GET
    public Versions versions(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                             @QueryParam("stage") String stage, @QueryParam("afterVersion") String after,
                             @QueryParam("pageToken") String pageToken, @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        String list = "model versions";
        String filters = PageToken.filters(Rest.namespace(namespace), name, stage);
        int max = (int) Rest.longParam(limit, "limit", 100, 1, 1000);
        List<ModelVersion> page = metadata.listModelVersions(namespace, name, stage(stage),
                (int) Rest.longParam(Rest.after(list, filters, pageToken, after, "afterVersion"), "afterVersion", 0, 0, Integer.MAX_VALUE), max);
        String next = page.size() < max ? null : String.valueOf(page.get(page.size() - 1).version());
        return new Versions(page, PageToken.encode(list, filters, next));
    }

    @GET
    @Path("{version}")
    public ModelVersion version(@PathParam("name") String name, @PathParam("version") String version,
                                @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        return metadata.modelVersion(namespace, name, (int) Rest.longParam(version, "version", 0, 1, Integer.MAX_VALUE));
    }

    /** The newest version in {@code stage}; 404 if there is none. */
    @GET
    @Path("latest")
    public ModelVersion latest(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                               @QueryParam("stage") String stage, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        ModelStage s = stage(stage);
        if (s == null) {
            throw new ValidationException("query parameter 'stage' is required");
        }
        return metadata.latestVersion(namespace, name, s)
                .orElseThrow(() -> new NotFoundException("model " + name + " has no " + s + " version"));
    }

    @POST
    @Path("{version}/stage")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public ModelVersion changeStage(@PathParam("name") String name, @PathParam("version") String version,
                                    @QueryParam("namespace") String namespace, StageChange request,
                                    @HeaderParam(Conditional.IF_MATCH) String ifMatch, @Context SecurityContext sc) {
        Caller caller = Callers.of(sc);
        caller.require(Role.OPERATOR, Rest.namespace(namespace));
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        int v = (int) Rest.longParam(version, "version", 0, 1, Integer.MAX_VALUE);
        // the revision stays optional here (-1: no check), If-Match makes the change conditional
        long revision = ifMatch == null && request.revision() == null ? -1
                : Conditional.revision(request.revision(), ifMatch, () -> metadata.modelVersion(namespace, name, v).revision(), "");
        ModelVersion changed = metadata.changeStage(namespace, name, v,
                request.stage(), revision,
                request.mode() == null ? PromotionMode.DEPRECATE_PREVIOUS : request.mode());
        audit.record(caller, "model-version.stage", changed.namespace(), name + "/" + changed.version(), changed.stage().name());
        return changed;
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
}
