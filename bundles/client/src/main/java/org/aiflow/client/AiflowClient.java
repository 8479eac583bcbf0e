package org.aiflow.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talks to an AI Flow platform over its REST API ({@code http://host:8181/aiflow/v1}). Thread-safe.
 *
 * <p><b>Publishing</b> gives every draft without an idempotency key a fresh one, so the retries
 * that follow a lost connection or a 5xx answer can never store an event twice; when a publish
 * returns, the event is durable. <b>Listening</b> long-polls from the last delivered version and
 * reconnects after failures, so a listener sees every event once per connection and at least
 * once overall (dedupe by version).
 *
 * <pre>
 * AiflowClient client = AiflowClient.connect(URI.create("http://localhost:8181/aiflow/v1"));
 * Event e = client.publish(EventDraft.of("model.deployed", "v3"));
 * try (AiflowClient.Listening l = client.listen(e.version() - 1, event -&gt; System.out.println(event))) { ... }
 * </pre>
 */
public final class AiflowClient {
    private static final TypeReference<List<Event>> EVENTS = new TypeReference<>() {
    };
    private static final TypeReference<List<SubscriptionInfo>> SUBSCRIPTIONS = new TypeReference<>() {
    };

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = AiflowJson.newMapper();
    private final int maxAttempts;
    private final Duration requestTimeout;

    private AiflowClient(URI base, int maxAttempts, Duration requestTimeout) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client with the defaults: 5 attempts per call, 30 s per request. */
    public static AiflowClient connect(URI base) {
        return new AiflowClient(base, 5, Duration.ofSeconds(30));
    }

    /** A client that tries each call {@code maxAttempts} times (at least 1) before giving up. */
    public static AiflowClient connect(URI base, int maxAttempts, Duration requestTimeout) {
        return new AiflowClient(base, Math.max(1, maxAttempts), requestTimeout);
    }

    // ---------------------------------------------------------------- publish

    /** Publishes one event; durable when this returns. Retries safely (see the class comment). */
    public Event publish(EventDraft draft) {
        EventDraft keyed = withIdempotencyKey(draft);
        return read(send("POST", "events", keyed, true), Event.class);
    }

    /** Publishes events atomically and in order; durable when this returns. */
    public List<Event> publishAll(List<EventDraft> drafts) {
        List<EventDraft> keyed = drafts.stream().map(AiflowClient::withIdempotencyKey).toList();
        JsonNode body = read(send("POST", "events/batch", Map.of("events", keyed), true), JsonNode.class);
        return convert(body.get("events"), EVENTS);
    }

    private static EventDraft withIdempotencyKey(EventDraft d) {
        return d.idempotencyKey() != null ? d
                : new EventDraft(d.namespace(), d.key(), d.value(), d.type(), d.sender(), d.context(), UUID.randomUUID().toString());
    }

    // ---------------------------------------------------------------- read

    /** Events matching the query, by version ascending. */
    public List<Event> list(EventQuery query) {
        return list(query, 0);
    }

    private List<Event> list(EventQuery query, int waitSeconds) {
        String path = "events?" + queryString(query) + "&limit=" + query.limit() + (waitSeconds > 0 ? "&wait=" + waitSeconds : "");
        return convert(read(send("GET", path, null, true), JsonNode.class).get("events"), EVENTS);
    }

    public long count(EventQuery query) {
        return read(send("GET", "events/count?" + queryString(query), null, true), JsonNode.class).get("count").asLong();
    }

    public Map<String, Long> countBySender(EventQuery query) {
        JsonNode body = read(send("GET", "events/count?groupBy=sender&" + queryString(query), null, true), JsonNode.class);
        return convert(body.get("bySender"), new TypeReference<Map<String, Long>>() {
        });
    }

    public long latestVersion() {
        return read(send("GET", "events/latest", null, true), JsonNode.class).get("version").asLong();
    }

    // ---------------------------------------------------------------- subscriptions

    public SubscriptionInfo createSubscription(String name, long afterVersion) {
        return read(send("POST", "subscriptions", Map.of("name", name, "afterVersion", afterVersion), true), SubscriptionInfo.class);
    }

    public List<SubscriptionInfo> subscriptions() {
        return convert(read(send("GET", "subscriptions", null, true), JsonNode.class).get("subscriptions"), SUBSCRIPTIONS);
    }

    public SubscriptionInfo acknowledge(String name, long version) {
        return read(send("POST", "subscriptions/" + encode(name) + "/ack", Map.of("version", version), true), SubscriptionInfo.class);
    }

    // ---------------------------------------------------------------- listen

    /** A running listener; closing it stops the polling thread. */
    public interface Listening extends AutoCloseable {
        /** The last version delivered to the listener. */
        long lastVersion();

        @Override
        void close();
    }

    /**
     * Delivers every event after {@code afterVersion} (matching {@code filter}'s namespaces, keys,
     * types and senders, if given) to {@code listener} from one background thread, long-polling
     * and reconnecting with backoff until closed.
     */
    public Listening listen(long afterVersion, EventQuery filter, EventListener listener) {
        PollingListener l = new PollingListener(afterVersion, filter, listener);
        l.thread.start();
        return l;
    }

    public Listening listen(long afterVersion, EventListener listener) {
        return listen(afterVersion, null, listener);
    }

    private final class PollingListener implements Listening {
        private final EventQuery filter;
        private final EventListener listener;
        private final Thread thread;
        private volatile long cursor;
        private volatile boolean closed;

        PollingListener(long afterVersion, EventQuery filter, EventListener listener) {
            this.cursor = afterVersion;
            this.filter = filter == null ? EventQuery.after(afterVersion, 1000) : filter;
            this.listener = listener;
            this.thread = new Thread(this::run, "aiflow-client-listener");
            this.thread.setDaemon(true);
        }

        private void run() {
            long backoff = 100;
            while (!closed) {
                try {
                    for (Event e : list(filter.withAfterVersion(cursor), 20)) {
                        if (closed) {
                            return;
                        }
                        listener.onEvent(e);
                        cursor = e.version();
                    }
                    backoff = 100;
                } catch (RuntimeException e) {
                    // the platform is down or restarting: resume from the cursor when it is back
                    LockSupport.parkNanos(Duration.ofMillis(backoff).toNanos());
                    backoff = Math.min(backoff * 2, 5_000);
                }
            }
        }

        @Override
        public long lastVersion() {
            return cursor;
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }

    // ---------------------------------------------------------------- HTTP

    private HttpResponse<String> send(String method, String path, Object body, boolean retry) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
        } catch (IOException e) {
            throw new ValidationException("cannot write the request: " + e.getMessage());
        }
        HttpRequest built = request.build();
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if ((status >= 500 || status == 429) && retry && attempt < maxAttempts) {
                    backoff = pause(backoff);
                    continue;
                }
                if (status >= 400) {
                    throw problem(response);
                }
                return response;
            } catch (IOException e) {
                if (!retry || attempt >= maxAttempts) {
                    throw new UnavailableException("cannot reach " + base + ": " + e, e);
                }
                backoff = pause(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted", e);
            }
        }
    }

    private static long pause(long millis) {
        LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
        return Math.min(millis * 2, 5_000);
    }

    /** Turns a JSON problem body into the matching exception. */
    private AiflowException problem(HttpResponse<String> response) {
        String code = "";
        String message = response.body();
        try {
            JsonNode body = json.readTree(response.body());
            code = body.path("code").asText("");
            message = body.path("message").asText(message);
        } catch (IOException e) {
            // not a problem body: keep the raw text
        }
        int status = response.statusCode();
        return switch (status) {
            case 404 -> new NotFoundException(message);
            case 409 -> new ConflictException(message);
            case 400, 413, 415, 422 -> new ValidationException(message);
            default -> new UnavailableException("HTTP " + status + (code.isEmpty() ? "" : " " + code) + ": " + message, null);
        };
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UnavailableException("unreadable answer from " + base + ": " + e.getMessage(), e);
        }
    }

    private <T> T convert(JsonNode node, TypeReference<T> type) {
        return json.convertValue(node, type);
    }

    private static String queryString(EventQuery q) {
        List<String> params = new ArrayList<>();
        q.namespaces().forEach(v -> params.add("namespace=" + encode(v)));
        q.keys().forEach(v -> params.add("key=" + encode(v)));
        q.types().forEach(v -> params.add("type=" + encode(v)));
        q.senders().forEach(v -> params.add("sender=" + encode(v)));
        params.add("afterVersion=" + q.afterVersion());
        if (q.untilVersion() != null) {
            params.add("untilVersion=" + q.untilVersion());
        }
        if (q.fromTime() != null) {
            params.add("fromTime=" + encode(q.fromTime().toString()));
        }
        if (q.toTime() != null) {
            params.add("toTime=" + encode(q.toTime().toString()));
        }
        return String.join("&", params);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
