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
import java.util.concurrent.locks.LockSupport;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON over HTTP to the platform's REST API, shared by the client's parts: retries with backoff
 * (when the caller says the call is safe to repeat), and problem bodies (RFC 9457 application/problem+json:
 * {@code code} and {@code detail}, or an older server's {@code message}) turned back into the API's
 * exceptions. Thread-safe.
 */
final class RestTransport {
    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = AiflowJson.newMapper();
    private final int maxAttempts;
    private final Duration requestTimeout;
    /** The Authorization header value sent with every call, or null. */
    private final String authorization;

    RestTransport(URI base, int maxAttempts, Duration requestTimeout, String authorization) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A request body sent as it is (not as JSON), e.g. a YAML workflow file. */
    record Text(String contentType, String text) {
    }

    /** Sends a request and reads the answer as {@code type}. */
    <T> T call(String method, String path, Object body, boolean retry, Class<T> type) {
        return read(send(method, path, body, retry), type);
    }

    /** Sends a request and reads one field of the answer (a JSON object) as {@code type}. */
    <T> T field(String method, String path, Object body, boolean retry, String field, TypeReference<T> type) {
        return convert(read(send(method, path, body, retry), JsonNode.class).get(field), type);
    }

    HttpResponse<String> send(String method, String path, Object body, boolean retry) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .header("Accept", "application/json")
                // not a browser: the API's cross-site request check lets calls with this header through
                .header("X-Requested-By", "aiflow-java-client");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else if (body instanceof Text text) {
                request.header("Content-Type", text.contentType()).method(method, HttpRequest.BodyPublishers.ofString(text.text()));
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
                // a 404 without a problem body comes from the HTTP server, not from the API: while the
                // platform starts, its JAX-RS whiteboard republishes the application as resources arrive
                boolean starting = status == 404 && !response.body().contains("\"code\"");
                if ((status >= 500 || status == 429 || starting) && retry && attempt < maxAttempts) {
                    backoff = pause(Math.max(backoff, retryAfterMillis(response)));
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

    URI base() {
        return base;
    }

    /**
     * Every item of a list (the array {@code field} of each answer), page after page: the next page is
     * the same request with the answer's {@code nextPageToken} as {@code pageToken}, until it is null.
     * Pages are read as the iteration reaches them, each retried like any read.
     */
    <T> java.util.Iterator<T> pages(String path, String field, TypeReference<List<T>> type) {
        return new java.util.Iterator<T>() {
            private java.util.Iterator<T> page = java.util.Collections.emptyIterator();
            private String token;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !last) {
                    String p = token == null ? path : path + (path.contains("?") ? "&" : "?") + "pageToken=" + encode(token);
                    JsonNode answer = read(send("GET", p, null, true), JsonNode.class);
                    page = convert(answer.get(field), type).iterator();
                    token = answer.path("nextPageToken").isTextual() ? answer.get("nextPageToken").asText() : null;
                    last = token == null;
                }
                return page.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    /** One {@code GET health/ready}, no retry: 200 ready, 503 not (with the problem's {@code missing} and message). */
    Readiness readiness() {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("health/ready")).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnavailableException("cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() == 200 && body != null && "READY".equals(body.path("status").asText())) {
            return new Readiness(true, List.of(), "ready");
        }
        if (body == null || !body.isObject()) {
            return new Readiness(false, List.of(), "HTTP " + response.statusCode() + " without a JSON body from " + base.resolve("health/ready"));
        }
        List<String> missing = new ArrayList<>();
        body.path("missing").forEach(m -> missing.add(m.asText()));
        String detail = body.hasNonNull("detail") ? body.get("detail").asText() : body.path("message").asText(response.body());
        return new Readiness(false, missing, "HTTP " + response.statusCode() + ": " + detail);
    }

    /** The wait a 503 or 429 asks for in Retry-After (seconds; at most 5 s), or 0. */
    static long retryAfterMillis(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").trim();
        try {
            return Math.min(Long.parseLong(value), 5) * 1000;
        } catch (NumberFormatException e) {
            return 0; // absent, or an HTTP date: the backoff alone
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
            // RFC 9457's detail; 'message' from servers before problem details
            message = body.hasNonNull("detail") ? body.get("detail").asText() : body.path("message").asText(message);
        } catch (IOException e) {
            // not a problem body: keep the raw text
        }
        int status = response.statusCode();
        return switch (status) {
            case 401 -> new UnauthenticatedException(message);
            case 403 -> new ForbiddenException(message);
            case 404 -> new NotFoundException(message);
            case 409, 412 -> new ConflictException(message);
            case 400, 413, 415, 422 -> new ValidationException(message);
            default -> new UnavailableException("HTTP " + status + (code.isEmpty() ? "" : " " + code) + ": " + message, null);
        };
    }

    <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UnavailableException("unreadable answer from " + base + ": " + e.getMessage(), e);
        }
    }

    <T> T convert(JsonNode node, TypeReference<T> type) {
        return json.convertValue(node, type);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A path segment: like a query value, but a space must be %20 there, not +. */
    static String segment(String value) {
        return encode(value).replace("+", "%20");
    }
}
