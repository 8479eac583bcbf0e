package org.aiflow.sample.exporter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.aiflow.api.event.Event;

/**
 * POSTs each page of events as JSON lines ({@code application/x-ndjson}) to a URL; a 2xx answer
 * means the receiver has them. Delivery is at-least-once: a page whose answer was lost, or that was
 * answered just before the platform died, comes again, so the receiver dedupes by {@code version}
 * (the header {@value #FIRST_VERSION} and {@value #LAST_VERSION} give the page's range).
 */
final class WebhookSink implements Sink {
    static final String FIRST_VERSION = "X-AIFlow-First-Version";
    static final String LAST_VERSION = "X-AIFlow-Last-Version";

    private final URI url;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient client;

    WebhookSink(URI url, String authorization, Duration timeout) {
        this.url = url;
        this.authorization = authorization;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void export(List<Event> events) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/x-ndjson; charset=utf-8")
                .header(FIRST_VERSION, Long.toString(events.get(0).version()))
                .header(LAST_VERSION, Long.toString(events.get(events.size() - 1).version()))
                .POST(HttpRequest.BodyPublishers.ofString(JsonLines.lines(events), StandardCharsets.UTF_8));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("webhook " + url + " answered " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body.strip())));
        }
    }

    @Override
    public String toString() {
        return "webhook " + url; // never the authorization
    }
}
