package org.aiflow.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.sse.OutboundSseEvent;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * {@code /aiflow/v1/events}: publish (single with an {@code Idempotency-Key} header, or a batch),
 * list with filters and paging (oldest first, or newest first with {@code order=desc}), long-poll
 * ({@code wait}), counts, the latest version, time to version, and a Server-Sent Events stream
 * that resumes from {@code Last-Event-ID}.
 */
@Component(service = EventsResource.class, configurationPid = Rest.CONFIG_PID)
@Designate(ocd = RestConfig.class)
@Path("events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {


    /** A page of events; pass {@code lastVersion} as the next {@code afterVersion}. */
    public record EventPage(List<Event> events, long lastVersion) {
    }

    /**
     * A page of events newest first ({@code order=desc}). {@code lastVersion} is the newest version
     * in it (the request's {@code afterVersion} when it is empty): newer events follow it, as after
     * an ascending page. {@code nextUntilVersion} is the {@code untilVersion} of the next, older
     * page: the oldest version in it minus one, null when the page is not full or nothing older is
     * in the range.
     */
    public record NewestFirstPage(List<Event> events, long lastVersion, Long nextUntilVersion) {
    }

    public record Batch(List<EventDraft> events) {
        public Batch {
            if (events == null || events.isEmpty()) {
                throw new ValidationException("field 'events' needs at least one event");
            }
        }
    }

    public record BatchResult(List<Event> events) {
    }

    private final NotificationService notifications;
    private final EventTail tail;
    private final int maxWait;
    private final ScheduledExecutorService heartbeats;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

    @Activate
    public EventsResource(@Reference NotificationService notifications, @Reference EventTail tail, RestConfig config) {
        this.notifications = notifications;
        this.tail = tail;
        this.maxWait = config.maxWaitSeconds();
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aiflow-rest-sse-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleAtFixedRate(() -> streams.forEach(SseStream::heartbeat), config.heartbeatMillis(),
                config.heartbeatMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        heartbeats.shutdownNow();
        streams.forEach(SseStream::close);
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response publish(EventDraft draft, @HeaderParam("Idempotency-Key") String idempotencyKey,
                            @Context SecurityContext sc) {
        if (draft == null) {
            throw new ValidationException("request body is empty");
        }
        Caller caller = Callers.of(sc);
        caller.requirePublish(draft.namespace());
        EventDraft keyed = idempotencyKey == null ? draft : new EventDraft(draft.namespace(), draft.key(), draft.value(),
                draft.type(), draft.sender(), draft.context(), idempotencyKey);
        // the principal is the server's to set: whatever the body said is replaced
        Event stored = notifications.publish(scoped(keyed, caller));
        return Response.created(URI.create("events?afterVersion=" + (stored.version() - 1) + "&limit=1")).entity(stored).build();
    }

    /**
     * The draft as {@code caller} publishes it: with the caller's principal, and its idempotency key
     * scoped to the caller and the namespace. Keys are unique in the whole log, so a key alone would
     * let one caller receive another's event (of a namespace it may not read) by re-sending its key,
     * and drop the other's event by sending the key first. A client's retry keeps its scope.
     */
    static EventDraft scoped(EventDraft draft, Caller caller) {
        String key = draft.idempotencyKey() == null ? null : "r:" + java.util.HexFormat.of().formatHex(sha256(
                caller.principal() + "\u0000" + draft.namespace() + "\u0000" + draft.idempotencyKey()));
        return new EventDraft(draft.namespace(), draft.key(), draft.value(), draft.type(), draft.sender(), draft.context(), key,
                caller.principal());
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @POST
    @Path("batch")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response publishBatch(Batch batch, @Context SecurityContext sc) {
        if (batch == null) {
            throw new ValidationException("request body is empty");
        }
        Caller caller = Callers.of(sc);
        batch.events().stream().map(EventDraft::namespace).distinct().forEach(caller::requirePublish);
        List<EventDraft> drafts = batch.events().stream().map(d -> scoped(d, caller)).toList();
        return Response.status(Response.Status.CREATED).entity(new BatchResult(notifications.publishAll(drafts))).build();
    }

    @GET
    public void list(@QueryParam("namespace") List<String> namespaces, @QueryParam("key") List<String> keys,
                     @QueryParam("type") List<String> types, @QueryParam("sender") List<String> senders,
                     @QueryParam("afterVersion") String after, @QueryParam("untilVersion") String until,
                     @QueryParam("fromTime") String from, @QueryParam("toTime") String to,
                     @QueryParam("limit") String limit, @QueryParam("order") String order, @QueryParam("wait") String wait,
                     @Context SecurityContext sc, @Suspended AsyncResponse response) {
        boolean descending = descending(order);
        EventQuery query = query(Access.readable(Callers.of(sc), namespaces), keys, types, senders, after, until, from, to, limit)
                .withDescending(descending);
        int waitSeconds = (int) Rest.longParam(wait, "wait", 0, 0, maxWait);
        if (descending) {
            if (waitSeconds > 0) {
                throw new ValidationException("query parameter 'wait' is not allowed with order=desc: long-poll with the default "
                        + "order after the page's lastVersion");
            }
            response.resume(newestFirst(notifications.list(query), query));
            return;
        }
        longPoll(() -> notifications.list(query), query.afterVersion(), waitSeconds, response);
    }

    /** The {@code order} query parameter: {@code asc} (the default) or {@code desc}. */
    static boolean descending(String order) {
        if (order == null || order.isEmpty() || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw new ValidationException("query parameter 'order' must be 'asc' or 'desc', got '" + order + "'");
    }

    static NewestFirstPage newestFirst(List<Event> events, EventQuery query) {
        if (events.isEmpty()) {
            return new NewestFirstPage(events, query.afterVersion(), null);
        }
        long oldest = events.get(events.size() - 1).version();
        boolean more = events.size() == query.limit() && oldest - 1 > query.afterVersion();
        return new NewestFirstPage(events, events.get(0).version(), more ? Long.valueOf(oldest - 1) : null);
    }

    /** Answers at once if there are events or no wait; otherwise when events arrive or the wait is over. */
    void longPoll(Supplier<List<Event>> read, long afterVersion, int waitSeconds, AsyncResponse response) {
        List<Event> now = read.get();
        if (!now.isEmpty() || waitSeconds == 0) {
            response.resume(page(now, afterVersion));
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        AutoCloseable[] registration = new AutoCloseable[1];
        Runnable check = () -> {
            List<Event> events = read.get();
            if (!events.isEmpty() && answered.compareAndSet(false, true)) {
                close(registration[0]);
                response.resume(page(events, afterVersion));
            }
        };
        registration[0] = tail.onEvent(check);
        response.setTimeout(waitSeconds, TimeUnit.SECONDS);
        response.setTimeoutHandler(r -> {
            if (answered.compareAndSet(false, true)) {
                close(registration[0]);
                r.resume(page(List.of(), afterVersion));
            }
        });
        check.run(); // an event committed between the first read and the registration
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // removing a callback from a set does not fail
        }
    }

    static EventPage page(List<Event> events, long afterVersion) {
        return new EventPage(events, events.isEmpty() ? afterVersion : events.get(events.size() - 1).version());
    }

    @GET
    @Path("count")
    public Map<String, Object> count(@QueryParam("namespace") List<String> namespaces, @QueryParam("key") List<String> keys,
                                     @QueryParam("type") List<String> types, @QueryParam("sender") List<String> senders,
                                     @QueryParam("afterVersion") String after, @QueryParam("untilVersion") String until,
                                     @QueryParam("fromTime") String from, @QueryParam("toTime") String to,
                                     @QueryParam("groupBy") String groupBy, @Context SecurityContext sc) {
        EventQuery query = query(Access.readable(Callers.of(sc), namespaces), keys, types, senders, after, until, from, to, null);
        if (groupBy == null || groupBy.isEmpty()) {
            return Map.of("count", notifications.count(query));
        }
        if (!groupBy.equals("sender")) {
            throw new ValidationException("query parameter 'groupBy' supports only 'sender'");
        }
        Map<String, Long> bySender = notifications.countBySender(query);
        return Map.of("count", bySender.values().stream().mapToLong(Long::longValue).sum(), "bySender", bySender);
    }

    @GET
    @Path("latest")
    public Map<String, Long> latest(@QueryParam("namespace") String namespace, @QueryParam("key") String key,
                                    @Context SecurityContext sc) {
        Caller caller = Callers.of(sc);
        if (key == null) {
            Access.requireSomeViewer(caller);
            return Map.of("version", notifications.latestVersion());
        }
        String ns = namespace == null || namespace.isEmpty() ? EventDraft.DEFAULT_NAMESPACE : namespace;
        caller.require(Role.VIEWER, ns);
        return Map.of("version", notifications.latestVersion(ns, key));
    }

    @GET
    @Path("version-before")
    public Map<String, Long> versionBefore(@QueryParam("time") String time, @Context SecurityContext sc) {
        Access.requireSomeViewer(Callers.of(sc));
        if (time == null) {
            throw new ValidationException("query parameter 'time' is required");
        }
        return Map.of("version", notifications.versionBefore(Rest.instantParam(time, "time")));
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
                       @QueryParam("namespace") List<String> namespaces, @QueryParam("key") List<String> keys,
                       @QueryParam("type") List<String> types, @QueryParam("sender") List<String> senders,
                       @QueryParam("afterVersion") String after, @Context SecurityContext sc, @Context SseEventSink sink,
                       @Context Sse sse) {
        String resumeFrom = lastEventId != null ? lastEventId : after;
        EventQuery query = query(Access.readable(Callers.of(sc), namespaces), keys, types, senders, resumeFrom, null, null, null, "1000");
        // commits the status and headers now: CXF sends them with the first flushed write
        sink.send(sse.newEventBuilder().comment("connected").reconnectDelay(3000).build());
        SseStream stream = new SseStream(sink, sse, query);
        streams.add(stream);
        stream.registration = tail.onEvent(stream::pump);
        stream.pump();
    }

    private static EventQuery query(List<String> namespaces, List<String> keys, List<String> types, List<String> senders,
                                    String after, String until, String from, String to, String limit) {
        return new EventQuery(namespaces, keys, types, senders, Rest.longParam(after, "afterVersion", 0, 0, Long.MAX_VALUE),
                Rest.optionalLong(until, "untilVersion"), Rest.instantParam(from, "fromTime"), Rest.instantParam(to, "toTime"),
                (int) Rest.longParam(limit, "limit", 100, 1, EventQuery.MAX_LIMIT));
    }

    /** One SSE client: sends everything after its last sent version, in order, without gaps or repeats. */
    private final class SseStream {
        private final SseEventSink sink;
        private final Sse sse;
        private EventQuery query; // guarded by this: its afterVersion is the last version sent
        volatile AutoCloseable registration;

        SseStream(SseEventSink sink, Sse sse, EventQuery query) {
            this.sink = sink;
            this.sse = sse;
            this.query = query;
        }

        synchronized void pump() {
            if (sink.isClosed()) {
                close();
                return;
            }
            List<Event> events;
            do {
                events = notifications.list(query);
                for (Event e : events) {
                    OutboundSseEvent out;
                    try {
                        out = sse.newEventBuilder().id(Long.toString(e.version())).name("event")
                                .data(JsonProvider.MAPPER.writeValueAsString(e)).build();
                    } catch (JsonProcessingException ex) {
                        throw new IllegalStateException("cannot write event " + e.version(), ex);
                    }
                    sink.send(out).whenComplete((ok, error) -> {
                        if (error != null) {
                            close();
                        }
                    });
                    query = query.withAfterVersion(e.version());
                }
            } while (events.size() == query.limit());
        }

        void heartbeat() {
            if (sink.isClosed()) {
                close();
                return;
            }
            sink.send(sse.newEventBuilder().comment("heartbeat").build()).whenComplete((ok, error) -> {
                if (error != null) {
                    close();
                }
            });
        }

        void close() {
            if (streams.remove(this)) {
                AutoCloseable r = registration;
                if (r != null) {
                    EventsResource.close(r);
                }
                sink.close();
            }
        }
    }
}
