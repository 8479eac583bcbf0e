package org.aiflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Problem bodies (RFC 9457, and the older {status, code, message}) come back as the API's exceptions with the detail. */
class ProblemClientTest {
    private HttpServer server;
    /** The status, content type and body the server answers next. */
    private final AtomicReference<Object[]> answer = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private AiflowClient serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/", exchange -> {
            Object[] a = answer.get();
            byte[] bytes = ((String) a[2]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", (String) a[1]);
            exchange.sendResponseHeaders((Integer) a[0], bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        // one attempt: a 503 must not be retried here
        return AiflowClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1"), 1,
                java.time.Duration.ofSeconds(10));
    }

    private static String problem(int status, String code, String detail, String message) {
        return "{\"type\":\"urn:aiflow:problem:" + code + "\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\",\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void theDetailOfAProblemIsTheExceptionsMessage() throws Exception {
        AiflowClient client = serve();
        answer.set(new Object[] {404, "application/problem+json", problem(404, "not_found", "dataset 'ns/x' does not exist", "old")});
        assertThatThrownBy(() -> client.metadata().dataset("ns", "x")).isInstanceOf(NotFoundException.class)
                .hasMessage("dataset 'ns/x' does not exist");

        answer.set(new Object[] {412, "application/problem+json", problem(412, "precondition_failed", "dataset is at revision 3, not 2", "x")});
        assertThatThrownBy(() -> client.metadata().dataset("ns", "x")).isInstanceOf(ConflictException.class)
                .hasMessage("dataset is at revision 3, not 2");

        answer.set(new Object[] {422, "application/problem+json", problem(422, "idempotency_key_reused", "key k was used for another body", "x")});
        assertThatThrownBy(() -> client.metadata().dataset("ns", "x")).isInstanceOf(ValidationException.class)
                .hasMessage("key k was used for another body");

        answer.set(new Object[] {503, "application/problem+json", problem(503, "unavailable", "the store is down", "x")});
        assertThatThrownBy(() -> client.metadata().dataset("ns", "x")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("unavailable").hasMessageContaining("the store is down");
    }

    @Test
    void aRetriedReadWaitsAsRetryAfterSays() throws Exception {
        java.util.List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/", exchange -> {
            times.add(System.nanoTime());
            boolean first = times.size() == 1;
            byte[] bytes = (first ? problem(503, "unavailable", "busy", "busy") : "{\"status\":\"UP\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", first ? "application/problem+json" : "application/json");
            if (first) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
            exchange.sendResponseHeaders(first ? 503 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        AiflowClient client = AiflowClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1"), 3,
                java.time.Duration.ofSeconds(10));
        assertThat(client.health()).isEqualTo("UP");
        assertThat(times).hasSize(2);
        // the backoff alone would have waited 100 ms
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(950));
    }

    @Test
    void anOlderServersBodyStillReads() throws Exception {
        AiflowClient client = serve();
        answer.set(new Object[] {409, "application/json", "{\"status\":409,\"code\":\"conflict\",\"message\":\"taken\"}"});
        assertThatThrownBy(() -> client.metadata().dataset("ns", "x")).isInstanceOf(ConflictException.class).hasMessage("taken");
        answer.set(new Object[] {404, "text/plain", "not json"});
        assertThatThrownBy(() -> client.metadata().dataset("ns", "x")).isInstanceOf(NotFoundException.class).hasMessage("not json");
    }
}
