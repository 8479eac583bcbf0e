package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.ProjectDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.client.AiflowClient;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The REST API over real HTTP inside the distribution: publishing, idempotency, reads, errors as
 * JSON problem bodies, long-poll, Server-Sent Events with resume, named subscriptions.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestApiIT extends AiflowTestSupport {
    private static final String BASE = "http://localhost:8181/aiflow/v1/";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.aiflow.notification.cfg", "maxValueBytes", "1000"),
            editConfigurationFilePut("etc/org.aiflow.rest.cfg", "maxBodyBytes", "100000"),
            editConfigurationFilePut("etc/org.aiflow.rest.cfg", "heartbeatMillis", "300"),
        };
    }

    private static HttpResponse<String> send(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", Distribution.adminAuthorization()).header("X-Requested-By", "itest").timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the platform is ready (GET /health/ready answers 200: the whole application is published at once). */
    private HttpResponse<String> ready(String method, String path, String json, String... headers) throws Exception {
        Poll.until(WAIT, "GET /health/ready answers 200", () -> send("GET", "health/ready", null).statusCode() == 200);
        return send(method, path, json, headers);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code, String messagePart) {
        assertEquals(r.body(), status, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(r.body(), r.body().contains("\"status\":" + status));
        assertTrue(r.body(), r.body().contains("\"type\":\"urn:aiflow:problem:" + code + "\"") && r.body().contains("\"title\":\"")
                && r.body().contains("\"detail\":\""));
        if (status == 503 || status == 429) {
            assertTrue("Retry-After on " + status, r.headers().firstValue("Retry-After").isPresent());
        }
        assertTrue(r.body(), r.body().contains("\"code\":\"" + code + "\""));
        assertTrue(r.body(), r.body().contains(messagePart));
    }

    @Test
    public void publishIsIdempotentAndReadable() throws Exception {
        HttpResponse<String> first = ready("POST", "events", "{\"namespace\":\"rest\",\"key\":\"k\",\"value\":\"v1\",\"sender\":\"it\"}",
                "Idempotency-Key", "req-1");
        assertEquals(first.body(), 201, first.statusCode());
        assertTrue(first.body(), first.body().contains("\"key\":\"k\""));
        HttpResponse<String> again = send("POST", "events", "{\"namespace\":\"rest\",\"key\":\"k\",\"value\":\"v2\"}", "Idempotency-Key", "req-1");
        assertEquals(first.body(), again.body());

        HttpResponse<String> batch = send("POST", "events/batch", "{\"events\":[{\"namespace\":\"rest\",\"key\":\"a\"},"
                + "{\"namespace\":\"rest\",\"key\":\"b\",\"sender\":\"it\"}]}");
        assertEquals(batch.body(), 201, batch.statusCode());

        HttpResponse<String> list = send("GET", "events?namespace=rest&limit=10", null);
        assertEquals(200, list.statusCode());
        assertTrue(list.body(), list.body().contains("\"value\":\"v1\"") && !list.body().contains("v2"));
        assertEquals("{\"count\":3}", send("GET", "events/count?namespace=rest", null).body());
        assertTrue(send("GET", "events/count?namespace=rest&groupBy=sender", null).body().contains("\"it\":2"));
        assertTrue(send("GET", "events/latest?namespace=rest&key=k", null).body().matches("\\{\"version\":\\d+}"));
        assertTrue(send("GET", "events/version-before?time=2000-01-01T00:00:00Z", null).body().equals("{\"version\":0}"));
    }

    /** Prometheus' own scrape header: OpenMetrics first, the text format 0.0.4 next. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static HttpResponse<String> scrape(String authorization, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + "metrics")).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How much {@code series} grew from one exposition to a later one (absent before: from 0). */
    private static double delta(String before, String after, String series) {
        double was = sample(before, series);
        return sample(after, series) - (Double.isNaN(was) ? 0 : was);
    }

    /** The value of the first sample line starting with {@code series}, or NaN. */
    private static double sample(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1).split(" ")[0]))
                .findFirst().orElse(Double.NaN);
    }

    @Test
    public void prometheusScrapeAsViewerAfterAKnownLoad() throws Exception {
        ready("GET", "health", null);
        HttpResponse<String> token = send("POST", "tokens", "{\"name\":\"prometheus\",\"grants\":[\"viewer\"]}");
        assertEquals(token.body(), 201, token.statusCode());
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(token.body());
        assertTrue(token.body(), secret.find());
        String viewer = "Bearer " + secret.group(1);
        String before = scrape(viewer, PROMETHEUS_ACCEPT).body();
        // a task started by the event "go", and one whose process cannot start (a failed submit of the process runner)
        SchedulerService scheduler = service(SchedulerService.class);
        scheduler.upload(new WorkflowDefinition("prom-it", "prom-flow", null, List.of(
                new TaskDefinition("on-go", TaskKind.BATCH, new JobSpec("process", Map.of("command", "true")), List.of(new Rule(
                        new ConditionSpec(BuiltInConditionTypes.EVENT, Map.of(BuiltInConditionTypes.Event.KEY, "go",
                                BuiltInConditionTypes.Event.NAMESPACE, "prom-it")), Action.START))),
                new TaskDefinition("cannot-start", TaskKind.BATCH, new JobSpec("process",
                        Map.of("command", "true", "workingDirectory", "/nonexistent/aiflow-prom-it")), List.of()))));
        scheduler.startExecution("prom-it", "prom-flow");
        int n = 7;
        for (int i = 0; i < n; i++) {
            String key = i == n - 1 ? "go" : "k" + i;
            HttpResponse<String> r = send("POST", "events", "{\"namespace\":\"prom-it\",\"key\":\"" + key + "\",\"value\":\"v\"}");
            assertEquals(r.body(), 201, r.statusCode());
        }

        // the counter follows the event log as a subscriber: bounded wait for the last of the n events
        String[] text = new String[1];
        Poll.until(WAIT, "aiflow_events_published_total{namespace=\"prom-it\"} reaches " + n, () -> {
            HttpResponse<String> r = scrape(viewer, PROMETHEUS_ACCEPT);
            text[0] = r.body();
            return r.statusCode() == 200 && sample(r.body(), "aiflow_events_published_total{namespace=\"prom-it\"}") == n;
        });
        HttpResponse<String> r = scrape(viewer, PROMETHEUS_ACCEPT);
        assertTrue(r.headers().firstValue("Content-Type").orElse(""), r.headers().firstValue("Content-Type").orElse("")
                .startsWith("application/openmetrics-text"));
        String body = r.body();
        // an excerpt in the test's output, for the operations guide and reviews
        body.lines().filter(l -> l.startsWith("aiflow_") || l.startsWith("jvm_memory_used_bytes")).limit(40).forEach(System.out::println);
        assertTrue(body, body.endsWith("# EOF\n"));
        assertTrue(body, sample(body, "aiflow_rest_requests_total{method=\"POST\",resource=\"events\",status=\"201\"}") >= n);
        assertTrue(body, sample(body, "aiflow_rest_request_duration_seconds_count{method=\"POST\",resource=\"events\"}") >= n);
        assertTrue(body, sample(body, "jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(body, sample(body, "aiflow_db_pool_max_connections{pool=\"aiflow-h2\"}") > 0);
        // what notification measured: each of the n single-event publishes timed, committed in batches whose sizes add up
        double publishes = delta(before, body, "aiflow_event_publish_duration_seconds_count");
        double committed = delta(before, body, "aiflow_event_commit_batch_size_sum");
        assertTrue(body, publishes >= n);
        assertTrue(body, sample(body, "aiflow_event_publish_duration_seconds_bucket{le=\"+Inf\"}")
                == sample(body, "aiflow_event_publish_duration_seconds_count"));
        assertEquals("events committed = single-event publishes", publishes, committed, 0);
        assertTrue(body, delta(before, body, "aiflow_event_commit_batch_size_count") <= committed);
        assertTrue(body, sample(body, "aiflow_event_publish_duration_seconds_sum") > 0);

        // what the scheduler measured: the "go" event's decision, the process task's duration, the failed submit
        String[] after = new String[1];
        try {
            Poll.until(WAIT, "the decision on 'go', the task's end and the failed submit in the metrics", () -> {
                after[0] = scrape(viewer, PROMETHEUS_ACCEPT).body();
                return delta(before, after[0], "aiflow_scheduler_decision_duration_seconds_count") >= 1
                        && delta(before, after[0], "aiflow_task_duration_seconds_count{runner=\"process\",status=\"SUCCESS\"}") >= 1
                        && delta(before, after[0], "aiflow_runner_submit_failures_total{runner=\"process\"}") >= 1;
            });
        } finally {
            after[0].lines().filter(l -> l.startsWith("aiflow_scheduler_") || l.startsWith("aiflow_runner_") || l.startsWith("aiflow_task"))
                    .forEach(System.out::println);
        }
        assertTrue(after[0], sample(after[0], "aiflow_scheduler_queued_events") >= 0); // NaN when absent
        assertTrue(after[0], sample(after[0], "aiflow_scheduler_decision_duration_seconds_sum") > 0);
        // the text format 0.0.4 for a client asking for text/plain only
        HttpResponse<String> plain = scrape(viewer, "text/plain");
        assertEquals(200, plain.statusCode());
        // CXF rewrites the header's parameters (text/plain;charset=utf-8;version=0.0.4)
        String plainType = plain.headers().firstValue("Content-Type").orElse("");
        assertTrue(plainType, plainType.startsWith("text/plain") && plainType.contains("version=0.0.4"));
        assertTrue(plain.body(), plain.body().contains("# TYPE aiflow_events_published_total counter"));

        // anonymous scrapes learn nothing; JSON clients still get the ML metric definitions
        assertEquals(401, scrape(null, PROMETHEUS_ACCEPT).statusCode());
        for (String accept : new String[] {"application/json", null, "*/*"}) {
            HttpResponse<String> json = scrape(viewer, accept);
            assertEquals(json.body(), 200, json.statusCode());
            assertEquals(String.valueOf(accept), "application/json", json.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertTrue(json.body(), json.body().startsWith("{\"metrics\":["));
        }
    }

    @Test
    public void badRequestsGetProblemBodiesAndStoreNothing() throws Exception {
        ready("GET", "events/latest", null);
        long head = service(NotificationService.class).latestVersion();
        assertProblem(send("POST", "events", "{\"key\": "), 400, "invalid_argument", "malformed JSON");
        assertProblem(send("POST", "events", "{\"key\": 5}"), 400, "invalid_argument", "field 'key' must be a string");
        assertProblem(send("POST", "events", "{\"key\": \"k\", \"colour\": \"red\"}"), 400, "invalid_argument", "unknown field 'colour'");
        assertProblem(send("POST", "events", "{\"key\": \"\"}"), 400, "invalid_argument", "key is required");
        assertProblem(send("POST", "events", "{\"key\": \"k\", \"namespace\": \"a b\"}"), 400, "invalid_argument", "namespace 'a b' is invalid");
        assertProblem(send("POST", "events", ""), 400, "invalid_argument", "empty");
        assertProblem(send("POST", "events", "{\"key\": \"k\", \"value\": \"" + "x".repeat(1001) + "\"}"), 413, "too_large", "1001 bytes");
        assertProblem(send("POST", "events", "{\"key\": \"k\", \"value\": \"" + "x".repeat(100_001) + "\"}"), 413, "too_large", "100000 bytes");
        assertProblem(send("POST", "events/batch", "{\"events\": []}"), 400, "invalid_argument", "at least one event");
        assertProblem(send("GET", "events?afterVersion=minus", null), 400, "invalid_argument", "afterVersion");
        assertProblem(send("GET", "events?limit=0", null), 400, "invalid_argument", "limit");
        assertProblem(send("GET", "events?fromTime=yesterday", null), 400, "invalid_argument", "ISO-8601");
        assertProblem(send("GET", "subscriptions/nobody", null), 404, "not_found", "subscription 'nobody' does not exist");
        assertProblem(send("GET", "nothing-here", null), 404, "not_found", "no such resource");
        assertEquals(head, service(NotificationService.class).latestVersion());
    }

    @Test
    public void longPollReturnsAsSoonAsAnEventArrives() throws Exception {
        ready("GET", "events/latest", null);
        NotificationService notifications = service(NotificationService.class);
        long head = notifications.latestVersion();
        CompletableFuture<HttpResponse<String>> poll = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(BASE + "events?namespace=poll&afterVersion=" + head + "&wait=30"))
                .header("Authorization", Distribution.adminAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
        notifications.publish(new EventDraft("other", "noise", "", null, null, null, null));
        assertFalse("an event of another namespace does not answer the poll", poll.isDone());
        long start = System.nanoTime();
        notifications.publish(new EventDraft("poll", "k", "awaited", null, null, null, null));
        HttpResponse<String> r = poll.get(10, TimeUnit.SECONDS);
        assertTrue("answered in " + (System.nanoTime() - start) / 1_000_000 + " ms", System.nanoTime() - start < 5_000_000_000L);
        assertTrue(r.body(), r.body().contains("awaited"));
        HttpResponse<String> empty = send("GET", "events?namespace=poll&afterVersion=" + notifications.latestVersion() + "&wait=1", null);
        assertTrue(empty.body(), empty.body().contains("\"events\":[]"));
    }

    @Test
    public void serverSentEventsResumeFromLastEventId() throws Exception {
        ready("GET", "events/latest", null);
        NotificationService notifications = service(NotificationService.class);
        long first = notifications.publish(new EventDraft("sse", "k", "one", null, null, null, null)).version();
        long second = notifications.publish(new EventDraft("sse", "k", "two", null, null, null, null)).version();
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "events/stream?namespace=sse"))
                .header("Authorization", Distribution.adminAuthorization()).header("Last-Event-ID", Long.toString(first)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        BlockingQueue<String> ids = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("id:")) {
                        ids.add(line.substring(3).trim());
                    }
                }
            } catch (Exception e) {
                // the stream was closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertEquals(Long.toString(second), ids.poll(10, TimeUnit.SECONDS));
        long third = notifications.publish(new EventDraft("sse", "k", "three", null, null, null, null)).version();
        assertEquals(Long.toString(third), ids.poll(10, TimeUnit.SECONDS));
        stream.body().close();
    }

    @Test
    public void namedSubscriptionsKeepTheirCursorAndShowTheirLag() throws Exception {
        ready("GET", "events/latest", null);
        NotificationService notifications = service(NotificationService.class);
        long head = notifications.latestVersion();
        HttpResponse<String> created = send("POST", "subscriptions", "{\"name\":\"indexer\",\"afterVersion\":" + head + "}");
        assertEquals(created.body(), 201, created.statusCode());
        long v = notifications.publish(new EventDraft("subs", "k", "x", null, null, null, null)).version();
        HttpResponse<String> events = send("GET", "subscriptions/indexer/events?wait=5", null);
        assertTrue(events.body(), events.body().contains("\"version\":" + v));
        assertTrue(send("GET", "subscriptions/indexer", null).body().contains("\"lag\":" + (notifications.latestVersion() - head)));
        HttpResponse<String> acked = send("POST", "subscriptions/indexer/ack", "{\"version\":" + v + "}");
        assertTrue(acked.body(), acked.body().contains("\"cursor\":" + v));
        String table = console("aiflow:subscription-list");
        assertTrue(table, table.contains("indexer"));
        assertProblem(send("POST", "subscriptions/indexer/ack", "{\"version\":" + (notifications.latestVersion() + 100) + "}"),
                400, "invalid_argument", "cannot acknowledge");
        assertEquals(204, send("DELETE", "subscriptions/indexer", null).statusCode());
        assertEquals(404, send("GET", "subscriptions/indexer", null).statusCode());
    }

    @Test
    public void theModelRegistryOverRestAndConsole() throws Exception {
        HttpResponse<String> created = ready("POST", "models", "{\"namespace\":\"ml\",\"name\":\"churn\",\"description\":\"d\"}");
        assertEquals(created.body(), 201, created.statusCode());
        assertProblem(send("POST", "models", "{\"namespace\":\"ml\",\"name\":\"churn\"}"), 409, "conflict", "already exists");
        assertProblem(send("GET", "models/nosuch?namespace=ml", null), 404, "not_found", "model 'ml/nosuch' does not exist");
        HttpResponse<String> v1 = send("POST", "models/churn/versions?namespace=ml", "{\"uri\":\"file:/m/1\",\"type\":\"lr\"}");
        assertEquals(v1.body(), 201, v1.statusCode());
        assertTrue(v1.body(), v1.body().contains("\"version\":1") && v1.body().contains("\"stage\":\"GENERATED\""));
        assertProblem(send("POST", "models/churn/versions/1/stage?namespace=ml", "{\"stage\":\"DEPLOYED\"}"), 409, "conflict",
                "cannot move from GENERATED to DEPLOYED");
        assertProblem(send("POST", "models/churn/versions/1/stage?namespace=ml", "{\"stage\":\"LAUNCHED\"}"), 400, "invalid_argument",
                "field 'stage' must be one of");
        assertProblem(send("POST", "models/churn/versions?namespace=ml", "{\"type\":\"lr\"}"), 400, "invalid_argument", "uri is required");
        assertEquals(200, send("POST", "models/churn/versions/1/stage?namespace=ml", "{\"stage\":\"VALIDATED\"}").statusCode());
        HttpResponse<String> deployed = send("POST", "models/churn/versions/1/stage?namespace=ml", "{\"stage\":\"DEPLOYED\",\"revision\":2}");
        assertEquals(deployed.body(), 200, deployed.statusCode());
        assertTrue(send("GET", "models/churn/deployed?namespace=ml", null).body().contains("\"version\":1"));
        assertProblem(send("PUT", "models/churn?namespace=ml", "{\"revision\":99,\"description\":\"x\"}"), 409, "conflict", "read it again");
        String events = send("GET", "events?namespace=ml&key=churn", null).body();
        assertTrue(events, events.contains("MODEL_GENERATED") && events.contains("MODEL_VALIDATED") && events.contains("MODEL_DEPLOYED"));

        assertTrue(console("aiflow:model-version-create -n ml churn file:/m/2").contains("Model churn version 2 registered: GENERATED"));
        assertTrue(console("aiflow:model-version-promote -n ml churn 2 VALIDATED").contains("is VALIDATED"));
        assertTrue(console("aiflow:model-version-promote -n ml --refuse-if-deployed churn 2 DEPLOYED").contains("Error [conflict]"));
        assertTrue(console("aiflow:model-version-promote -n ml churn 2 DEPLOYED").contains("is DEPLOYED"));
        String versions = console("aiflow:model-version-list -n ml churn");
        assertTrue(versions, versions.contains("DEPRECATED") && versions.contains("DEPLOYED"));
        assertTrue(console("aiflow:model-list -n ml").contains("churn"));
    }

    @Test
    public void datasetsOverRestAndConsole() throws Exception {
        String body = "{\"name\":\"train\",\"uri\":\"file:/d/train.csv\",\"format\":\"csv\","
                + "\"schema\":[{\"name\":\"age\",\"type\":\"INT\"}],\"catalog\":{\"type\":\"HIVE\",\"table\":\"t\"}}";
        HttpResponse<String> created = ready("POST", "datasets?namespace=ml", body);
        assertEquals(created.body(), 201, created.statusCode());
        assertTrue(created.body(), created.body().contains("\"revision\":1"));
        assertProblem(send("POST", "datasets?namespace=ml", body), 409, "conflict", "already exists");
        assertProblem(send("POST", "datasets?namespace=ml", "{\"name\":\"x\",\"uri\":\"u\",\"schema\":[{\"name\":\"a\"}]}"),
                400, "invalid_argument", "column type is required");
        HttpResponse<String> updated = send("PUT", "datasets/train?namespace=ml", "{\"revision\":1,\"dataset\":"
                + body.replace("train.csv", "train-2.csv") + "}");
        assertEquals(updated.body(), 200, updated.statusCode());
        assertProblem(send("PUT", "datasets/train?namespace=ml", "{\"revision\":1,\"dataset\":" + body + "}"), 409, "conflict", "revision");
        assertProblem(send("DELETE", "datasets/train?namespace=ml", null), 400, "invalid_argument", "revision");
        assertEquals(200, send("DELETE", "datasets/train?namespace=ml&revision=2", null).statusCode());
        assertTrue(send("GET", "datasets/train?namespace=ml", null).body().contains("\"deleted\":true"));
        String events = send("GET", "events?namespace=ml&key=train", null).body();
        assertTrue(events, events.contains("DATASET_CREATED") && events.contains("DATASET_UPDATED") && events.contains("DATASET_DELETED"));

        assertTrue(console("aiflow:dataset-create -n ml -f csv -c age:INT -c label:DOUBLE test file:/d/test.csv").contains("with 2 columns"));
        assertTrue(console("aiflow:dataset-create -n ml -c broken test2 file:/d").contains("must look like name:type"));
        String list = console("aiflow:dataset-list -n ml -a");
        assertTrue(list, list.contains("test") && list.contains("yes"));
        assertTrue(console("aiflow:dataset-delete -n ml test").contains("deleted"));
    }

    @Test
    public void metadataThroughTheJavaClientRestAndConsole() throws Exception {
        features.installFeature("aiflow-client");
        ready("GET", "models", null);
        MetadataService remote = AiflowClient.connect(URI.create(BASE), Distribution.ADMIN, Distribution.ADMIN_PASSWORD).metadata();
        remote.createProject(new ProjectDraft("lin", "lineage project", null, null));
        assertEquals("lineage project", remote.project("lin").description());
        remote.createDataset("lin", new DatasetDraft("in.csv", "file:/in.csv", "csv", List.of(), null, null, null));
        String model = "m 1% _x_ [] \"q\" ü";
        remote.createModel("lin", model, null, null);
        try {
            remote.createModel("lin", model, null, null);
            fail("a duplicate model was created");
        } catch (ConflictException expected) {
            // refused, as inside the platform
        }
        ModelVersion v1 = remote.createModelVersion("lin", model, new ModelVersionDraft("file:/m/1", "lr", null, null));
        remote.changeStage("lin", model, v1.version(), ModelStage.VALIDATED, v1.revision(), PromotionMode.DEPRECATE_PREVIOUS);
        assertEquals(1, remote.latestVersion("lin", model, ModelStage.VALIDATED).orElseThrow().version());
        assertFalse(remote.deployedVersion("lin", model).isPresent());
        assertEquals(List.of(model), remote.listModels("lin", new ListQuery("m 1%", null, null, false, 10)).stream()
                .map(Model::name).toList());

        Artifact vocab = remote.createArtifact("lin", new ArtifactDraft("vocab", "text", "file:/vocab", null, null));
        assertTrue(remote.deleteArtifact("lin", "vocab", vocab.revision()).deleted());
        assertTrue(remote.listArtifacts("lin", ListQuery.first(10)).isEmpty());

        remote.createMetric("lin", new MetricMetaDraft("quality", MetricKind.MODEL, null, model, null, null));
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 700; i++) { // under this test's 100,000-byte body limit
            points.add(new MetricPoint(i % 2 == 0 ? "auc" : "loss", i / 10_000.0, null, (long) i, 1, null));
        }
        assertEquals(700, remote.logMetrics("lin", "quality", points));
        List<MetricValue> page = remote.metricValues("lin", "quality", MetricQuery.all(500));
        assertEquals(500, page.size());
        assertEquals(200, remote.metricValues("lin", "quality", MetricQuery.all(500).afterId(page.get(499).id())).size());
        assertEquals(350, remote.metricValues("lin", "quality", new MetricQuery("auc", 1, null, null, null, 0, 10_000)).size());

        SchedulerService scheduler = service(SchedulerService.class);
        scheduler.upload(new WorkflowDefinition("lin", "lineage-flow", null, List.of(new TaskDefinition("train", TaskKind.BATCH,
                new JobSpec("process", Map.of("command", "true")), List.of()))));
        long execution = scheduler.startExecution("lin", "lineage-flow").id();
        long task = scheduler.listTasks(new TaskQuery("lineage-flow", execution, null, 10)).get(0).id();
        remote.recordLineage("lin", task, LineageDirection.READ, List.of(LineageEntity.dataset("in.csv")));
        remote.recordLineage("lin", task, LineageDirection.WROTE, List.of(LineageEntity.modelVersion(model, 1)));
        assertEquals(2, remote.lineageOfTask(task).size());
        assertEquals(task, remote.lineageOfEntity("lin", LineageEntity.modelVersion(model, 1)).get(0).taskExecutionId());

        assertProblem(send("POST", "lineage", "{\"taskExecutionId\":987654,\"direction\":\"READ\",\"entities\":"
                + "[{\"kind\":\"DATASET\",\"name\":\"in.csv\",\"version\":0}]}"), 404, "not_found", "task execution");
        assertProblem(send("POST", "lineage", "{\"taskExecutionId\":" + task + ",\"direction\":\"READ\",\"entities\":"
                + "[{\"kind\":\"DATASET\",\"name\":\"nosuch\",\"version\":0}]}"), 404, "not_found", "nosuch");
        assertProblem(send("GET", "lineage?kind=TABLE&name=x", null), 400, "invalid_argument", "'kind'");
        assertProblem(send("POST", "metrics/quality/values?namespace=lin", "{\"values\":[{\"key\":\"auc\",\"value\":\"high\"}]}"),
                400, "invalid_argument", "value");
        assertProblem(send("POST", "metrics/quality/values?namespace=lin", "{\"values\":[]}"), 400, "invalid_argument", "at least one");
        assertProblem(send("POST", "metrics?namespace=lin", "{\"name\":\"q2\",\"kind\":\"MODEL\",\"modelName\":\"nosuch\"}"),
                404, "not_found", "nosuch");
        assertProblem(send("GET", "models?namespace=lin&limit=5000", null), 400, "invalid_argument", "limit");
        assertEquals(700, remote.metricValues("lin", "quality", MetricQuery.all(10_000)).size()); // refused calls stored nothing

        HttpResponse<String> taskView = send("GET", "tasks/" + task, null);
        assertTrue(taskView.body(), taskView.statusCode() == 200 && taskView.body().contains("\"taskName\":\"train\""));
        assertTrue(send("GET", "tasks/" + task + "/history", null).body().contains("QUEUED"));
        assertTrue(send("GET", "executions/" + execution + "/snapshot", null).body().contains("lineage-flow"));
        assertTrue(send("GET", "executions?namespace=lin&workflow=lineage-flow", null).body().contains("\"id\":" + execution));
        assertTrue(send("GET", "workflows/lineage-flow?namespace=lin", null).body().contains("\"enabled\":true"));
        assertProblem(send("GET", "tasks/987654", null), 404, "not_found", "987654");

        String lineage = console("aiflow:lineage --task " + task);
        assertTrue(lineage, lineage.contains("in.csv") && lineage.contains("WROTE") && lineage.contains("MODEL_VERSION"));
        assertTrue(console("aiflow:lineage --task 1 --dataset x").contains("exactly one of"));
        assertTrue(console("aiflow:lineage-record -n lin " + task + " READ artifact:vocab").contains("read 1 record"));
        assertTrue(console("aiflow:lineage-record -n lin " + task + " READ model:broken").contains("model:NAME:VERSION"));
        assertTrue(console("aiflow:metric-log -n lin -v 1 quality auc=0.93 loss=0.07").contains("Logged 2 value(s)"));
        assertTrue(console("aiflow:metric-log -n lin quality auc=high").contains("not a number"));
        String values = console("aiflow:metric-values -n lin -k auc --after " + page.get(499).id() + " -l 1000 quality");
        assertTrue(values, values.contains("0.93"));
        assertTrue(console("aiflow:metric-list -n lin -k MODEL").contains("quality"));
        assertTrue(console("aiflow:artifact-create -n lin -t html report file:/r.html").contains("created"));
        assertTrue(console("aiflow:artifact-list -n lin -t html").contains("report"));
        assertTrue(console("aiflow:project-list -p li").contains("lineage project"));
    }

    /**
     * One REST convention end to end: a paging walk over more rows than a page holds by the Link
     * headers, ETag and a 412 for a stale If-Match, and an idempotent replay of a creating POST.
     */
    @Test
    public void pagesConditionalUpdatesAndIdempotentReplays() throws Exception {
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> created = ready("POST", "datasets?namespace=conv", "{\"name\":\"ds-" + i + "\",\"uri\":\"file:/d" + i + "\"}");
            assertEquals(created.body(), 201, created.statusCode());
        }
        // walk by the Link headers, 3 a page: 7 rows in 3 pages, the last without a Link and with nextPageToken null
        List<String> names = new java.util.ArrayList<>();
        String next = BASE + "datasets?namespace=conv&limit=3";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", Distribution.adminAuthorization())
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(page.body(), 200, page.statusCode());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\":\"(ds-\\d)\"").matcher(page.body());
            while (m.find()) {
                names.add(m.group(1));
            }
            String link = page.headers().firstValue("Link").orElse(null);
            assertEquals(page.body(), link == null, page.body().contains("\"nextPageToken\":null"));
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            assertTrue(String.valueOf(link), link == null || link.endsWith("; rel=\"next\"") && next.startsWith(BASE + "datasets?"));
            pages++;
        }
        assertEquals(List.of("ds-0", "ds-1", "ds-2", "ds-3", "ds-4", "ds-5", "ds-6"), names);
        assertEquals(3, pages);
        assertProblem(send("GET", "datasets?namespace=conv&limit=3&pageToken=forged", null), 400, "invalid_argument", "pageToken");

        // ETag, a stale If-Match is 412 and changes nothing, the right one goes through
        HttpResponse<String> read = send("GET", "datasets/ds-0?namespace=conv", null);
        assertEquals("\"1\"", read.headers().firstValue("ETag").orElse(""));
        String change = "{\"dataset\":{\"name\":\"ds-0\",\"uri\":\"file:/changed\"}}";
        assertProblem(send("PUT", "datasets/ds-0?namespace=conv", change, "If-Match", "\"7\""), 412, "precondition_failed", "revision 1");
        assertTrue(send("GET", "datasets/ds-0?namespace=conv", null).body().contains("file:/d0"));
        HttpResponse<String> changed = send("PUT", "datasets/ds-0?namespace=conv", change, "If-Match", "\"1\"");
        assertEquals(changed.body(), 200, changed.statusCode());
        assertEquals("\"2\"", changed.headers().firstValue("ETag").orElse(""));

        // an idempotent replay: the same answer, once; another body with the key is a 422
        String model = "{\"name\":\"conv-model\",\"namespace\":\"conv\"}";
        HttpResponse<String> first = send("POST", "models", model, "Idempotency-Key", "conv-1");
        assertEquals(first.body(), 201, first.statusCode());
        HttpResponse<String> replay = send("POST", "models", model, "Idempotency-Key", "conv-1");
        assertEquals(replay.body(), 201, replay.statusCode());
        assertEquals(first.body(), replay.body());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertProblem(send("POST", "models", model), 409, "conflict", "conv-model");
        assertProblem(send("POST", "models", "{\"name\":\"other\",\"namespace\":\"conv\"}", "Idempotency-Key", "conv-1"),
                422, "idempotency_key_reused", "another body");
    }
}
