package org.aiflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The event list's order on the wire, against a small HTTP server playing the platform. */
class EventListClientTest {
    private HttpServer server;
    private final BlockingQueue<String> queries = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private AiflowClient serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/events", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            byte[] bytes = ("{\"events\":[{\"version\":7,\"namespace\":\"ns\",\"key\":\"k\",\"value\":\"\",\"type\":\"\",\"sender\":\"\","
                    + "\"context\":{},\"createTime\":\"2026-01-01T00:00:00Z\",\"principal\":\"\"}],\"lastVersion\":7,\"nextUntilVersion\":null}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return AiflowClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1"));
    }

    @Test
    void aDescendingQueryAsksForTheNewestFirstAndAListenerAlwaysFollowsForward() throws Exception {
        AiflowClient client = serve();
        EventQuery newest = new EventQuery(List.of("ns"), null, null, null, 0, 99L, null, null, 50, true);
        assertThat(client.list(newest)).extracting(Event::version).containsExactly(7L);
        assertThat(queries.take()).isEqualTo("namespace=ns&afterVersion=0&untilVersion=99&limit=50&order=desc");
        client.list(newest.withDescending(false));
        assertThat(queries.take()).isEqualTo("namespace=ns&afterVersion=0&untilVersion=99&limit=50");

        BlockingQueue<Event> heard = new LinkedBlockingQueue<>();
        try (AiflowClient.Listening l = client.listen(0, newest.withUntilVersion(null), heard::add)) {
            assertThat(heard.poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(queries.poll(10, TimeUnit.SECONDS)).isEqualTo("namespace=ns&afterVersion=0&limit=50&wait=20");
        }
    }
}
