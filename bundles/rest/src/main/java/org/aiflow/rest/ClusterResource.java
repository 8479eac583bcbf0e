package org.aiflow.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.ClusterStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code /aiflow/v1/cluster}: the nodes that share this platform's database, which of them holds
 * the scheduling lease, its epoch and age, as the answering node sees them. The scheduler registers
 * the {@link ClusterService}; the reference is optional and dynamic so that the API stays up
 * without it and this path answers 503 {@code unavailable} meanwhile.
 */
@Component(service = ClusterResource.class)
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    static final String NOT_RUNNING = "the scheduler is not running";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ClusterService cluster;

    @GET
    public ClusterStatus get(@Context SecurityContext sc) {
        Access.requireSomeViewer(Callers.of(sc));
        ClusterService c = cluster;
        if (c == null) {
            throw new UnavailableException(NOT_RUNNING, null);
        }
        return c.status();
    }
}
