package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.aiflow.api.security.Caller;
import org.junit.jupiter.api.Test;

/** A repeated creating POST with the same Idempotency-Key gets the first answer again; another body is a 422. */
class IdempotencyTest {
    /** A stored record: its replay carries its ETag too. */
    record Stored(long id, long revision) {
    }

    /** One request through the filter: what it aborted with, else the answer the "resource" gave, passed through the response filter. */
    private static Response post(Idempotency filter, String principal, String path, String key, String body, int status, Object entity) throws Exception {
        AtomicReference<Response> aborted = new AtomicReference<>();
        AtomicReference<InputStream> stream = new AtomicReference<>(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> properties = new HashMap<>();
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class}, (p, m, a) ->
                switch (m.getName()) {
                    case "getPath" -> path;
                    case "getRequestUri" -> URI.create("http://h/aiflow/v1/" + path + "?namespace=ns");
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        SecurityContext sc = new Callers.CallerContext(new Caller(principal, Caller.Kind.USER, java.util.Set.of()), false, "BASIC");
        ContainerRequestContext request = (ContainerRequestContext) Proxy.newProxyInstance(ContainerRequestContext.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getHeaderString" -> a[0].equals(Idempotency.HEADER) ? key : null;
                    case "getMethod" -> "POST";
                    case "getUriInfo" -> uri;
                    case "getSecurityContext" -> sc;
                    case "hasEntity" -> true;
                    case "getEntityStream" -> stream.get();
                    case "setEntityStream" -> {
                        stream.set((InputStream) a[0]);
                        yield null;
                    }
                    case "abortWith" -> {
                        aborted.set((Response) a[0]);
                        yield null;
                    }
                    case "setProperty" -> properties.put((String) a[0], a[1]);
                    case "getProperty" -> properties.get(a[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        filter.filter(request);
        if (aborted.get() != null) {
            return aborted.get();
        }
        assertThat(new String(stream.get().readAllBytes(), StandardCharsets.UTF_8)).as("the body is there for the resource").isEqualTo(body);
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.add("Location", "datasets/d?namespace=ns");

        ContainerResponseContext response = (ContainerResponseContext) Proxy.newProxyInstance(ContainerResponseContext.class.getClassLoader(),
                new Class<?>[] {ContainerResponseContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getStatus" -> status;
                    case "getEntity" -> entity;
                    case "getMediaType" -> MediaType.APPLICATION_JSON_TYPE;
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        filter.filter(request, response);
        return Response.status(status).entity(entity).build();
    }

    @Test
    void aRepeatGetsTheFirstAnswerAndAnotherBodyIs422() throws Exception {
        Idempotency filter = new Idempotency();
        Response first = post(filter, "vera", "datasets", "k1", "{\"name\":\"d\"}", 201, new Stored(1, 1));
        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(first.getHeaderString(Idempotency.REPLAYED)).isNull();

        Response again = post(filter, "vera", "datasets", "k1", "{\"name\":\"d\"}", 409, Map.of("would", "not run"));
        assertThat(again.getStatus()).isEqualTo(201);
        assertThat(again.getHeaderString(Idempotency.REPLAYED)).isEqualTo("true");
        assertThat(new String((byte[]) again.getEntity(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1,\"revision\":1}");
        assertThat(again.getHeaderString("Location")).isEqualTo("datasets/d?namespace=ns");
        assertThat(again.getHeaderString("ETag")).isEqualTo("\"1\"");

        Response other = post(filter, "vera", "datasets", "k1", "{\"name\":\"e\"}", 201, Map.of());
        assertThat(other.getStatus()).isEqualTo(422);
        assertThat(((Problem) other.getEntity()).code()).isEqualTo("idempotency_key_reused");

        // the key is the caller's, on this path: another caller or path runs anew
        assertThat(post(filter, "olga", "datasets", "k1", "{\"name\":\"d\"}", 201, Map.of("id", 2)).getHeaderString(Idempotency.REPLAYED)).isNull();
        assertThat(post(filter, "vera", "artifacts", "k1", "{\"name\":\"d\"}", 201, Map.of("id", 3)).getHeaderString(Idempotency.REPLAYED)).isNull();
    }

    @Test
    void failuresAreNotKeptAndEventsKeepTheirOwnKeys() throws Exception {
        Idempotency filter = new Idempotency();
        assertThat(post(filter, "vera", "models", "k", "{}", 503, null).getStatus()).isEqualTo(503);
        assertThat(filter.size()).isZero();
        assertThat(post(filter, "vera", "models", "k", "{}", 201, Map.of("id", 1)).getHeaderString(Idempotency.REPLAYED)).isNull();
        assertThat(post(filter, "vera", "events", "k", "{}", 201, Map.of("id", 1)).getHeaderString(Idempotency.REPLAYED)).isNull();
        assertThat(post(filter, "vera", "events", "k", "{}", 201, Map.of("id", 1)).getHeaderString(Idempotency.REPLAYED)).isNull();
        assertThat(filter.size()).isEqualTo(1);
    }

    @Test
    void aFirstRequestStillRunningMakesARepeatWaitAndKeptAnswersExpire() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        Idempotency filter = Idempotency.withClock(clock);
        byte[] hash = Idempotency.sha256(new byte[] {1});
        assertThat(filter.claim("id", hash)).isNull();
        assertThat(filter.claim("id", hash).getStatus()).isEqualTo(409);
        now.set(now.get().plus(Idempotency.IN_FLIGHT).plusSeconds(1));
        assertThat(filter.claim("id", hash)).as("a first that never answered lets a repeat run").isNull();
        now.set(now.get().plus(Idempotency.TTL).plusSeconds(1));
        assertThat(filter.claim("other", hash)).isNull();
        assertThat(filter.size()).isEqualTo(1);
    }
}
