package org.aiflow.rest;

import java.net.URI;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.SecurityContext;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /aiflow/v1/subscriptions}: named durable subscriptions. The server keeps each one's
 * cursor; a remote consumer reads {@code /subscriptions/{name}/events} (long-poll with
 * {@code wait}) and acknowledges with {@code POST /subscriptions/{name}/ack}.
 */
@Component(service = SubscriptionsResource.class)
@Path("subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    public record Create(String name, Long afterVersion) {
        public Create {
            if (name == null) {
                throw new ValidationException("field 'name' is required");
            }
        }
    }

    public record Ack(Long version) {
        public Ack {
            if (version == null) {
                throw new ValidationException("field 'version' is required");
            }
        }
    }

    /** All subscriptions, or a page of them by name when asked with {@code limit} or {@code pageToken}. */
    public record Subscriptions(List<SubscriptionInfo> subscriptions, String nextPageToken) implements Paged {
    }

    private final NotificationService notifications;
    private final EventsResource events;

    @Activate
    public SubscriptionsResource(@Reference NotificationService notifications, @Reference EventsResource events) {
        this.notifications = notifications;
        this.events = events;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response create(Create request, @Context SecurityContext sc) {
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        requireMayMove(Callers.of(sc), request.name());
        long after = request.afterVersion() == null ? notifications.latestVersion() : request.afterVersion();
        SubscriptionInfo info = notifications.createSubscription(request.name(), after);
        return Response.created(URI.create("subscriptions/" + info.name())).entity(info).build();
    }

    @GET
    public Subscriptions list(@QueryParam("pageToken") String pageToken, @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Callers.of(sc).requireEverywhere(Role.VIEWER);
        if ((limit == null || limit.isEmpty()) && (pageToken == null || pageToken.isEmpty())) {
            return new Subscriptions(notifications.subscriptions(), null); // as before paging
        }
        Rest.Slice<SubscriptionInfo> page = Rest.slice(notifications.subscriptions(), SubscriptionInfo::name,
                Rest.after("subscriptions", "", pageToken, null, "afterName"), (int) Rest.longParam(limit, "limit", 100, 1, 1000));
        return new Subscriptions(page.items(), PageToken.encode("subscriptions", "", page.next()));
    }

    @GET
    @Path("{name}")
    public SubscriptionInfo get(@PathParam("name") String name, @Context SecurityContext sc) {
        Callers.of(sc).requireEverywhere(Role.VIEWER);
        return notifications.subscription(name);
    }

    @POST
    @Path("{name}/ack")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public SubscriptionInfo acknowledge(@PathParam("name") String name, Ack ack, @Context SecurityContext sc) {
        if (ack == null) {
            throw new ValidationException("request body is empty");
        }
        requireMayMove(Callers.of(sc), name);
        return notifications.acknowledge(name, ack.version());
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @Context SecurityContext sc) {
        // subscriptions have no owner on record: deleting one may take events away from someone else
        Callers.of(sc).requireEverywhere(Role.ADMIN);
        notifications.deleteSubscription(name);
        return Response.noContent().build();
    }

    /** The events after the subscription's cursor; long-polls with {@code wait}. */
    @GET
    @Path("{name}/events")
    public void events(@PathParam("name") String name, @QueryParam("limit") String limit, @QueryParam("wait") String wait,
                       @Context SecurityContext sc, @Suspended AsyncResponse response) {
        List<String> readable = Access.readable(Callers.of(sc), List.of());
        long cursor = notifications.subscription(name).cursor();
        EventQuery all = EventQuery.after(cursor, (int) Rest.longParam(limit, "limit", 100, 1, EventQuery.MAX_LIMIT));
        // a caller that may read some namespaces only gets their events (the cursor still counts every version)
        EventQuery query = readable.isEmpty() ? all : new EventQuery(readable, all.keys(), all.types(), all.senders(),
                all.afterVersion(), all.untilVersion(), all.fromTime(), all.toTime(), all.limit());
        events.longPoll(() -> notifications.list(query), cursor, (int) Rest.longParam(wait, "wait", 0, 0, 60), response);
    }

    /**
     * Subscriptions have no owner on record and a cursor that decides what its reader sees next:
     * creating and acknowledging need operator in every namespace, and the platform's own
     * ({@code aiflow...}, e.g. the scheduler's cursor) are the admin's.
     */
    private static void requireMayMove(Caller caller, String name) {
        if (name != null && name.regionMatches(true, 0, "aiflow", 0, 6)) {
            caller.requireEverywhere(Role.ADMIN);
        }
        caller.requireEverywhere(Role.OPERATOR);
    }
}
