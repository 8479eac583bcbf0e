package org.aiflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** {@code health()}, {@code readiness()} and {@code awaitReady} against a small HTTP server playing the platform. */
class ReadinessClientTest {
    private static final String NOT_READY = "{\"status\":503,\"code\":\"unavailable\",\"message\":\"the AI Flow platform is not ready:"
            + " missing storage, rest; storage unavailable: no DataSource\",\"missing\":[\"storage\",\"rest\"]}";
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(AtomicInteger readyAfter) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/health", exchange -> {
            boolean ready = exchange.getRequestURI().getPath().endsWith("/ready");
            int status = 200;
            String body = "{\"status\":\"UP\"}";
            if (ready) {
                boolean up = readyAfter.getAndDecrement() <= 0;
                status = up ? 200 : 503;
                body = up ? "{\"status\":\"READY\",\"components\":{}}" : NOT_READY;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1");
    }

    @Test
    void waitsThroughNotReadyAnswers() throws Exception {
        AiflowClient client = AiflowClient.connect(serve(new AtomicInteger(3)));
        assertThat(client.health()).isEqualTo("UP");
        Readiness first = client.readiness();
        assertThat(first.ready()).isFalse();
        assertThat(first.missing()).containsExactly("storage", "rest");
        assertThat(first.message()).contains("storage unavailable: no DataSource");
        assertThat(client.awaitReady(Duration.ofSeconds(10)).ready()).isTrue();
    }

    @Test
    void givesUpWithTheLastProblem() throws Exception {
        AiflowClient client = AiflowClient.connect(serve(new AtomicInteger(Integer.MAX_VALUE)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.awaitReady(Duration.ofMillis(700))).isInstanceOf(NotReadyException.class)
                .hasMessageContaining("is not ready after 700 ms").hasMessageContaining("missing storage, rest; storage unavailable")
                .satisfies(e -> assertThat(((NotReadyException) e).missing()).containsExactly("storage", "rest"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void nobodyListening() throws Exception {
        URI base = serve(new AtomicInteger(0));
        server.stop(0);
        server = null;
        assertThatThrownBy(() -> AiflowClient.connect(base).awaitReady(Duration.ofMillis(300))).isInstanceOf(NotReadyException.class)
                .hasMessageContaining("cannot reach");
    }
}
