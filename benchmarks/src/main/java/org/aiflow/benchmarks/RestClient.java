package org.aiflow.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP/1.1 (keep-alive, one shared {@link HttpClient}) to the platform's REST API; any
 * status other than the expected one is a failure that carries the response body.
 */
final class RestClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    /** The admin every benchmark platform gets before its first start (see Platform). */
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "bench-admin-pw";
    static final String AUTHORIZATION = "Basic " + java.util.Base64.getEncoder()
            .encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /** @param base the API root, e.g. {@code http://localhost:8181/aiflow/v1/} */
    RestClient(URI base) {
        this.base = base;
    }

    /** A GET of {@code path} (relative to the API root), built once and sent many times. */
    HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", AUTHORIZATION).GET().build();
    }

    HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** @return the response body, if the status is {@code expected} */
    String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + " (expected " + expected + "): " + response.body());
        }
        return response.body();
    }

    /** {@link #send} without waiting: for requests a page sends side by side. */
    java.util.concurrent.CompletableFuture<String> sendAsync(HttpRequest request, int expected) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                        + " (expected " + expected + "): " + response.body());
            }
            return response.body();
        });
    }

    /** The status of a GET, or 0 when nothing answers (yet): for polling. */
    int status(String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", AUTHORIZATION).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }
}
