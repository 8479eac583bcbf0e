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
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.scheduler.SchedulerService;
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

    private final RestTransport transport;
    private final RemoteMetadataService metadata;
    private final RemoteSchedulerService scheduler;

    private AiflowClient(URI base, int maxAttempts, Duration requestTimeout, String authorization) {
        this.transport = new RestTransport(base, maxAttempts, requestTimeout, authorization);
        this.metadata = new RemoteMetadataService(transport);
        this.scheduler = new RemoteSchedulerService(transport);
    }

    /**
     * The metadata service of the platform (projects, datasets, models and versions, artifacts,
     * metrics, lineage) with the same contract as inside the platform. Reads are retried after
     * failures; creations are not (a lost answer is reported, never turned into a duplicate).
     */
    public MetadataService metadata() {
        return metadata;
    }

    /**
     * The scheduler of the platform (workflows, executions, tasks started and stopped by hand, task
     * logs, the plugins bound) with the same contract as inside the platform. Reads, enabling and
     * stopping are retried after failures; uploads, deletes and starts are not (a lost answer is
     * reported, never turned into a second execution).
     */
    public SchedulerService scheduler() {
        return scheduler;
    }

    /**
     * A client without credentials, with the defaults (5 attempts per call, 30 s per request): the
     * platform answers only {@code /health} to it; see {@link #connect(URI, String, String)} and
     * {@link #connectWithToken(URI, String)}.
     */
    public static AiflowClient connect(URI base) {
        return new AiflowClient(base, 5, Duration.ofSeconds(30), null);
    }

    /** A client that tries each call {@code maxAttempts} times (at least 1) before giving up. */
    public static AiflowClient connect(URI base, int maxAttempts, Duration requestTimeout) {
        return new AiflowClient(base, Math.max(1, maxAttempts), requestTimeout, null);
    }

    /** A client that signs in as a user of the platform's login realm (HTTP Basic). */
    public static AiflowClient connect(URI base, String user, String password) {
        return connect(base, 5, Duration.ofSeconds(30), Credentials.basic(user, password));
    }

    /** A client that calls with an API token or a task's token ({@code Authorization: Bearer}). */
    public static AiflowClient connectWithToken(URI base, String token) {
        return connect(base, 5, Duration.ofSeconds(30), Credentials.bearer(token));
    }

    /**
     * A client with credentials that tries each call {@code maxAttempts} times. A refused login
     * surfaces as {@link org.aiflow.api.error.UnauthenticatedException} (401), a call the
     * credentials' roles do not allow as {@link org.aiflow.api.error.ForbiddenException} (403),
     * each with the platform's message.
     */
    public static AiflowClient connect(URI base, int maxAttempts, Duration requestTimeout, Credentials credentials) {
        return new AiflowClient(base, Math.max(1, maxAttempts), requestTimeout,
                credentials == null ? null : credentials.authorization());
    }

    /**
     * A client for code that runs as a task of the platform: connects to the task context's URL with
     * the task's own token (see {@link TaskContext} for where the context is read from: program
     * arguments {@code --aiflow-url ...}, system properties {@code aiflow.url ...}, environment
     * {@code AIFLOW_URL ...}). The rest of the context: {@link TaskContext#fromEnvironment(String...)}.
     *
     * @param args the program's arguments, or none
     * @throws IllegalArgumentException if there is no task context (no platform URL anywhere)
     */
    public static AiflowClient fromTaskEnvironment(String... args) {
        return TaskContext.fromEnvironment(args).connect();
    }

    // ---------------------------------------------------------------- health

    /** The platform's liveness, {@code GET /health}: {@code "UP"} while its process answers HTTP (never needs credentials). */
    public String health() {
        return transport.call("GET", "health", null, true, JsonNode.class).path("status").asText();
    }

    /**
     * One readiness check, {@code GET /health/ready}, without retries: ready (200), or not (503) with
     * what is missing. Throws {@link UnavailableException} if the platform cannot be reached.
     */
    public Readiness readiness() {
        return transport.readiness();
    }

    /**
     * Waits until the platform is ready: polls {@code /health/ready} every 200 ms (connection refused
     * and 503 are waited out) and returns the ready answer, or throws {@link NotReadyException} with
     * the last answer's message once {@code timeout} has passed.
     */
    public Readiness awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Readiness last = null;
        RuntimeException failure = null;
        while (true) {
            try {
                last = transport.readiness();
                failure = null;
                if (last.ready()) {
                    return last;
                }
            } catch (RuntimeException e) {
                failure = e; // not listening yet
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(Math.min(left, Duration.ofMillis(200).toNanos()));
            if (Thread.currentThread().isInterrupted()) {
                throw new NotReadyException("interrupted while waiting for the platform to be ready", last == null ? null : last.missing(), null);
            }
        }
        String why = failure != null ? failure.getMessage() : last.message();
        throw new NotReadyException("the platform at " + transport.base() + " is not ready after " + timeout.toMillis() + " ms: " + why,
                failure != null || last == null ? List.of() : last.missing(), failure);
    }

    // ---------------------------------------------------------------- publish

    /** Publishes one event; durable when this returns. Retries safely (see the class comment). */
    public Event publish(EventDraft draft) {
        EventDraft keyed = withIdempotencyKey(draft);
        return transport.call("POST", "events", keyed, true, Event.class);
    }

    /** Publishes events atomically and in order; durable when this returns. */
    public List<Event> publishAll(List<EventDraft> drafts) {
        List<EventDraft> keyed = drafts.stream().map(AiflowClient::withIdempotencyKey).toList();
        return transport.field("POST", "events/batch", Map.of("events", keyed), true, "events", EVENTS);
    }

    private static EventDraft withIdempotencyKey(EventDraft d) {
        return d.idempotencyKey() != null ? d
                : new EventDraft(d.namespace(), d.key(), d.value(), d.type(), d.sender(), d.context(), UUID.randomUUID().toString());
    }

    // ---------------------------------------------------------------- read

    /**
     * Events matching the query, by version ascending; or, for a {@link EventQuery#descending()
     * descending} query, the newest {@code limit} of them newest first (page back with
     * {@code query.withUntilVersion(oldest version - 1)}).
     */
    public List<Event> list(EventQuery query) {
        return list(query, 0);
    }

    private List<Event> list(EventQuery query, int waitSeconds) {
        String path = "events?" + queryString(query) + "&limit=" + query.limit() + (query.descending() ? "&order=desc" : "")
                + (waitSeconds > 0 ? "&wait=" + waitSeconds : "");
        return transport.field("GET", path, null, true, "events", EVENTS);
    }

    /**
     * Every item of a paged list, fetched page by page as the stream is consumed ({@code nextPageToken}):
     * {@code client.all("datasets?namespace=churn&limit=500", "datasets", Dataset.class)}, or
     * {@code all("executions?workflow=nightly", "executions", WorkflowExecution.class)}. {@code path} is
     * the list's path and filters relative to the API base; {@code field} the answer's array.
     */
    public <T> java.util.stream.Stream<T> all(String path, String field, Class<T> type) {
        TypeReference<List<T>> listOf = new TypeReference<>() {
            @Override
            public java.lang.reflect.Type getType() {
                return com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance().constructCollectionType(List.class, type);
            }
        };
        return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(
                transport.pages(path, field, listOf), java.util.Spliterator.ORDERED), false);
    }

    public long count(EventQuery query) {
        return transport.call("GET", "events/count?" + queryString(query), null, true, JsonNode.class).get("count").asLong();
    }

    public Map<String, Long> countBySender(EventQuery query) {
        JsonNode body = transport.call("GET", "events/count?groupBy=sender&" + queryString(query), null, true, JsonNode.class);
        return transport.convert(body.get("bySender"), new TypeReference<Map<String, Long>>() {
        });
    }

    public long latestVersion() {
        return transport.call("GET", "events/latest", null, true, JsonNode.class).get("version").asLong();
    }

    // ---------------------------------------------------------------- subscriptions

    public SubscriptionInfo createSubscription(String name, long afterVersion) {
        return transport.call("POST", "subscriptions", Map.of("name", name, "afterVersion", afterVersion), true, SubscriptionInfo.class);
    }

    public List<SubscriptionInfo> subscriptions() {
        return transport.field("GET", "subscriptions", null, true, "subscriptions", SUBSCRIPTIONS);
    }

    public SubscriptionInfo acknowledge(String name, long version) {
        return transport.call("POST", "subscriptions/" + encode(name) + "/ack", Map.of("version", version), true, SubscriptionInfo.class);
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
            // oldest first whatever the filter says: the listener follows the log forward
            this.filter = filter == null ? EventQuery.after(afterVersion, 1000) : filter.withDescending(false);
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
        return RestTransport.encode(value);
    }
}
