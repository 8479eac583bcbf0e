package org.aiflow.rest;

import java.net.URI;
import java.util.List;

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

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.metadata.ProjectDraft;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /aiflow/v1/projects}: the records of namespaces. Updates quote the {@code revision} they read (409 if stale). */
@Component(service = ProjectsResource.class)
@Path("projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectsResource {

    public record Update(Long revision, ProjectDraft project) {
        public Update {
            if (project == null) {
                throw new ValidationException("field 'project' (the new content) is required, with 'revision' (the revision you read)");
            }
        }
    }

    /** A page; {@code nextAfterName} is the older form of {@code nextPageToken} (the last name of a full page). */
    public record Projects(List<Project> projects, String nextPageToken, String nextAfterName) implements Paged {
    }

    private final MetadataService metadata;

    @Activate
    public ProjectsResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response create(ProjectDraft draft, @Context SecurityContext sc) {
        if (draft == null) {
            throw new ValidationException("request body is empty");
        }
        // a project is the record of the namespace of its name
        Callers.of(sc).require(Role.AUTHOR, draft.name());
        Project p = metadata.createProject(draft);
        return Response.created(URI.create("projects/" + p.name())).entity(p).build();
    }

    @GET
    public Projects list(@QueryParam("namePrefix") String namePrefix, @QueryParam("afterName") String afterName,
                         @QueryParam("pageToken") String pageToken, @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Access.requireSomeViewer(Callers.of(sc));
        String filters = PageToken.filters(namePrefix);
        ListQuery query = Rest.listQuery(namePrefix, null, Rest.after("projects", filters, pageToken, afterName, "afterName"), false, limit);
        List<Project> page = metadata.listProjects(query);
        String next = Rest.nextAfterName(page, query, Project::name);
        return new Projects(page, PageToken.encode("projects", filters, next), next);
    }

    @GET
    @Path("{name}")
    public Project get(@PathParam("name") String name, @Context SecurityContext sc) {
        Access.requireSomeViewer(Callers.of(sc));
        return metadata.project(name);
    }

    @PUT
    @Path("{name}")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Project update(@PathParam("name") String name, Update request, @HeaderParam(Conditional.IF_MATCH) String ifMatch,
                          @Context SecurityContext sc) {
        Callers.of(sc).require(Role.AUTHOR, name);
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        long revision = Conditional.revision(request.revision(), ifMatch, () -> metadata.project(name).revision(), "field 'revision' is required: quote the revision you read");
        return metadata.updateProject(name, revision, request.project());
    }
}
