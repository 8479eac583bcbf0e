package org.aiflow.runner.flink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The part of Flink's REST API the runner uses (Flink 2.x): jar upload and run, job status and
 * exceptions, cancel, stop-with-savepoint and its trigger status. Plain {@code java.net.http}:
 * no Flink class is loaded into the platform.
 *
 * <p>Every call throws {@link FlinkRestException}: {@link FlinkRestException#unreachable()} when
 * no HTTP answer came (refused, timed out), otherwise with the HTTP status and Flink's error text.
 */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    FlinkRest(URI base, Duration timeout) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    URI base() {
        return base;
    }

    /** {@code GET /overview}: the cluster answers (and which Flink version it runs). */
    String overview() throws FlinkRestException {
        JsonNode n = call("GET", "overview", null);
        return "Flink " + n.path("flink-version").asText("?") + ", " + n.path("taskmanagers").asInt() + " task manager(s), "
                + n.path("slots-available").asInt() + "/" + n.path("slots-total").asInt() + " slots free";
    }

    /** {@code POST /jars/upload}: returns the jar id the cluster gave the file. */
    String uploadJar(Path jar) throws FlinkRestException {
        String boundary = "aiflow-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkRestException("cannot read jar " + jar + ": " + e.getMessage(), 0, false);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jars/upload")).timeout(timeout.multipliedBy(4))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        String file = send(request, "POST jars/upload").path("filename").asText("");
        if (file.isEmpty()) {
            throw new FlinkRestException("jar upload answered without a file name", 200, false);
        }
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** {@code POST /jars/{id}/run}: runs the jar's main, with the job's own Flink configuration (empty: none); returns the job id. */
    String runJar(String jarId, String entryClass, List<String> args, Integer parallelism, String jobId, String savepointPath,
                  boolean allowNonRestoredState, Map<String, String> configuration) throws FlinkRestException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!configuration.isEmpty()) {
            body.put("flinkConfiguration", configuration);
        }
        if (entryClass != null) {
            body.put("entryClass", entryClass);
        }
        body.put("programArgsList", args);
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        body.put("jobId", jobId);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", allowNonRestoredState);
        }
        return call("POST", "jars/" + enc(jarId) + "/run", body).path("jobid").asText();
    }

    /** {@code GET /jobs/{id}}: the job's state ({@code RUNNING}, {@code FINISHED}, ...), empty if the cluster has no such job. */
    Optional<String> jobState(String jobId) throws FlinkRestException {
        try {
            return Optional.of(call("GET", "jobs/" + enc(jobId), null).path("state").asText());
        } catch (FlinkRestException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code GET /jobs/{id}/exceptions}: the newest failure's stack trace, or empty. */
    String failureCause(String jobId) throws FlinkRestException {
        JsonNode n = call("GET", "jobs/" + enc(jobId) + "/exceptions", null);
        JsonNode entries = n.path("exceptionHistory").path("entries");
        if (entries.isArray() && !entries.isEmpty()) {
            JsonNode first = entries.get(0);
            return first.path("stacktrace").asText(first.path("exceptionName").asText(""));
        }
        return n.path("root-exception").asText("");
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}. */
    void cancel(String jobId) throws FlinkRestException {
        call("PATCH", "jobs/" + enc(jobId) + "?mode=cancel", null);
    }

    /** {@code POST /jobs/{id}/stop}: stop-with-savepoint; returns the trigger id to follow. */
    String stopWithSavepoint(String jobId, String targetDirectory) throws FlinkRestException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("drain", false);
        if (targetDirectory != null && !targetDirectory.isBlank()) {
            body.put("targetDirectory", targetDirectory);
        }
        return call("POST", "jobs/" + enc(jobId) + "/stop", body).path("request-id").asText();
    }

    /** {@code GET /jobs/{id}/savepoints/{trigger}}. */
    SavepointStatus savepointStatus(String jobId, String triggerId) throws FlinkRestException {
        JsonNode n = call("GET", "jobs/" + enc(jobId) + "/savepoints/" + enc(triggerId), null);
        String status = n.path("status").path("id").asText("");
        JsonNode op = n.path("operation");
        if (!"COMPLETED".equals(status)) {
            return new SavepointStatus(false, null, null);
        }
        if (op.hasNonNull("location")) {
            return new SavepointStatus(true, op.path("location").asText(), null);
        }
        String cause = op.path("failure-cause").path("stack-trace").asText(op.path("failure-cause").toString());
        return new SavepointStatus(true, null, cause);
    }

    /** A stop-with-savepoint trigger: done with a location, or done with a failure, or still running. */
    record SavepointStatus(boolean done, String location, String failure) {
    }

    private JsonNode call(String method, String path, Object body) throws FlinkRestException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build(), method + " " + path);
    }

    private JsonNode send(HttpRequest request, String what) throws FlinkRestException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) { // refused, timed out, reset: no answer
            throw new FlinkRestException("Flink cluster at " + base + " is unreachable (" + what + "): " + describe(e), 0, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException("interrupted while calling Flink (" + what + ")", 0, true);
        }
        JsonNode json;
        try {
            json = response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("text", response.body());
        }
        if (response.statusCode() >= 300) {
            throw new FlinkRestException(errors(json, response.body()), response.statusCode(), false);
        }
        return json;
    }

    private static String errors(JsonNode json, String raw) {
        JsonNode errors = json.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            List<String> all = new ArrayList<>();
            errors.forEach(e -> all.add(e.asText()));
            return String.join("\n", all);
        }
        return raw == null ? "" : raw;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
