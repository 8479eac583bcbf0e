package org.aiflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/** The client walks every page of a list by nextPageToken, as the server hands them out. */
class PagesClientTest {
    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void allFollowsNextPageTokenToTheLastPage() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/datasets", exchange -> {
            String q = exchange.getRequestURI().getRawQuery();
            queries.add(q);
            int status = 200;
            String body;
            if (!q.contains("pageToken")) {
                body = "{\"datasets\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"nextPageToken\":\"T1-_\",\"nextAfterName\":\"b\"}";
            } else if (q.endsWith("pageToken=T1-_")) {
                body = "{\"datasets\":[{\"name\":\"c\"},{\"name\":\"d\"}],\"nextPageToken\":\"T2\",\"nextAfterName\":\"d\"}";
            } else if (q.endsWith("pageToken=T2")) {
                body = "{\"datasets\":[{\"name\":\"e\"}],\"nextPageToken\":null,\"nextAfterName\":null}";
            } else {
                status = 400;
                body = "{\"type\":\"urn:aiflow:problem:invalid_argument\",\"title\":\"Invalid Argument\",\"status\":400,"
                        + "\"detail\":\"query parameter 'pageToken' is not a page token of this list\",\"code\":\"invalid_argument\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        AiflowClient client = AiflowClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1"));

        assertThat(client.all("datasets?namespace=ns&limit=2", "datasets", JsonNode.class).map(n -> n.get("name").asText()))
                .containsExactly("a", "b", "c", "d", "e");
        assertThat(queries).containsExactly("namespace=ns&limit=2", "namespace=ns&limit=2&pageToken=T1-_", "namespace=ns&limit=2&pageToken=T2");
        // only as far as consumed
        queries.clear();
        assertThat(client.all("datasets?limit=2", "datasets", JsonNode.class).limit(2).count()).isEqualTo(2);
        assertThat(queries).hasSize(1);
        assertThatThrownBy(() -> client.all("datasets?pageToken=forged", "datasets", JsonNode.class).count())
                .isInstanceOf(ValidationException.class).hasMessageContaining("pageToken");
    }
}
