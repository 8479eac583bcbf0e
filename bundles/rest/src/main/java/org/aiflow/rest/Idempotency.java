package org.aiflow.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code Idempotency-Key} on every creating POST (workflow upload, execution start, model and
 * version, dataset, artifact, project, metric, metric values, lineage, subscription, token, ...): the
 * first answer (a 2xx) is kept per caller, method, path with its query and key, and a repeat with the
 * same body gets it again, same status and body, with {@code Idempotent-Replayed: true}; the same key
 * with another body is a 422 {@code idempotency_key_reused}, and a repeat while the first is still
 * being answered a 409 {@code conflict}. The answers are kept in memory, bounded ({@value #MAX_ENTRIES}
 * of them, each for {@link #TTL}): a restart forgets them, so a retry after a restart runs again.
 * {@code POST /events} and {@code /events/batch} are left to their own durable keys (the event log
 * stores each event's key).
 */
@Component(service = Idempotency.class)
@Priority(Priorities.USER)
public class Idempotency implements ContainerRequestFilter, ContainerResponseFilter {
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_ENTRIES = 10_000;
    static final Duration TTL = Duration.ofHours(24);
    /** How long a first request may take before a repeat is let through to run again (it may have died). */
    static final Duration IN_FLIGHT = Duration.ofMinutes(5);
    private static final String PROPERTY = "aiflow.idempotency";

    /** A kept answer, or (status 0) one being made. */
    record Entry(byte[] bodyHash, int status, String contentType, String location, String etag, byte[] body, long time) {
        boolean done() {
            return status != 0;
        }
    }

    private final Map<String, Entry> answers = new LinkedHashMap<>();
    private final Clock clock;

    @Activate
    public Idempotency() {
        this(Clock.systemUTC());
    }

    static Idempotency withClock(Clock clock) {
        return new Idempotency(clock);
    }

    private Idempotency(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String key = request.getHeaderString(HEADER);
        String path = request.getUriInfo().getPath();
        if (key == null || !request.getMethod().equals("POST") || path.equals("events") || path.equals("events/batch")) {
            return;
        }
        if (key.isEmpty() || key.length() > 255) {
            throw new org.aiflow.api.error.ValidationException("header 'Idempotency-Key' must be 1 to 255 characters");
        }
        byte[] body = read(request);
        String principal = request.getSecurityContext() == null || request.getSecurityContext().getUserPrincipal() == null
                ? "" : request.getSecurityContext().getUserPrincipal().getName();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        String id = principal + "\u0000POST\u0000" + path + (query == null ? "" : "?" + query) + "\u0000" + key;
        Response answer = claim(id, sha256(body));
        if (answer != null) {
            request.abortWith(answer);
        } else {
            request.setProperty(PROPERTY, id);
        }
    }

    /** The kept answer to replay, a problem, or null when this request is the first (now in flight). */
    synchronized Response claim(String id, byte[] bodyHash) {
        long now = clock.millis();
        expire(now);
        Entry e = answers.get(id);
        if (e != null && !e.done() && now - e.time() > IN_FLIGHT.toMillis()) {
            e = null; // the first never answered: let this one run
        }
        if (e == null) {
            answers.remove(id);
            answers.put(id, new Entry(bodyHash, 0, null, null, null, null, now));
            return null;
        }
        if (!Arrays.equals(e.bodyHash(), bodyHash)) {
            return ErrorMappers.problem(422, "idempotency_key_reused", "the Idempotency-Key was used for a request with another body "
                    + "to this path: send a new key for a new request");
        }
        if (!e.done()) {
            return ErrorMappers.problem(409, "conflict", "a request with this Idempotency-Key is still being answered: retry later");
        }
        Response.ResponseBuilder r = Response.status(e.status()).entity(e.body()).header(REPLAYED, "true");
        if (e.contentType() != null) {
            r.type(e.contentType());
        }
        if (e.location() != null) {
            r.header(HttpHeaders.LOCATION, e.location());
        }
        if (e.etag() != null) {
            r.header(HttpHeaders.ETAG, e.etag());
        }
        return r.build();
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(PROPERTY) instanceof String id)) {
            return;
        }
        int status = response.getStatus();
        if (status < 200 || status >= 300) {
            forget(id); // nothing was done: a retry runs again
            return;
        }
        try {
            Object entity = response.getEntity();
            byte[] body = entity == null ? new byte[0] : JsonProvider.MAPPER.writeValueAsBytes(entity);
            MediaType type = response.getMediaType();
            Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
            // from the entity, as Conditional does: the two response filters' order is not defined
            Long revision = Conditional.revisionOf(entity);
            String etag = revision == null ? null : Conditional.etag(revision);
            keep(id, status, type == null ? (entity == null ? null : MediaType.APPLICATION_JSON) : type.toString(),
                    location == null ? null : location.toString(), etag, body);
        } catch (IOException e) {
            forget(id);
        }
    }

    private synchronized void keep(String id, int status, String type, String location, String etag, byte[] body) {
        Entry first = answers.get(id);
        if (first != null) {
            answers.put(id, new Entry(first.bodyHash(), status, type, location, etag, body, first.time()));
        }
    }

    private synchronized void forget(String id) {
        answers.remove(id);
    }

    /** Drops answers past their time, and the oldest beyond the bound (insertion order is age order). */
    private void expire(long now) {
        Iterator<Entry> it = answers.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (answers.size() > MAX_ENTRIES - 1 || now - e.time() > TTL.toMillis()) {
                it.remove();
            } else {
                break;
            }
        }
    }

    synchronized int size() {
        return answers.size();
    }

    /** The body, read whole (within the body limit) and put back for the resource. */
    private static byte[] read(ContainerRequestContext request) throws IOException {
        if (!request.hasEntity()) {
            return new byte[0];
        }
        byte[] body;
        try (InputStream in = request.getEntityStream()) {
            body = in.readAllBytes();
        } catch (BodyLimitFilter.TooLarge e) {
            throw new PayloadTooLargeException(e.cap);
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        return body;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
