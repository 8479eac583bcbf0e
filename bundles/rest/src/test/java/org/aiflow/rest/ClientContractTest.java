package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.client.AiflowClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * One contract for client and server: every request the Java client sends — each method of its
 * MetadataService and SchedulerService and its own calls — must be an operation of the OpenAPI
 * document generated from this bundle's resources (method, path template, and only query parameters
 * the operation declares). A path, method or parameter renamed on one side and not the other fails here.
 */
class ClientContractTest {
    private HttpServer server;
    /** "METHOD path?query" of every request the client sent. */
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyClientCallIsAnOperationOfTheOpenApiDocument() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/", exchange -> {
            URI uri = exchange.getRequestURI();
            sent.add(exchange.getRequestMethod() + " " + uri.getRawPath().substring("/aiflow/v1/".length())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        AiflowClient client = AiflowClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1"), 1,
                Duration.ofSeconds(5));

        List<String> silent = new ArrayList<>();
        for (Object[] service : new Object[][] {{MetadataService.class, client.metadata()}, {SchedulerService.class, client.scheduler()}}) {
            for (Method m : ((Class<?>) service[0]).getMethods()) {
                if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                int before = sent.size();
                try {
                    m.invoke(service[1], arguments(m));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // the answer "{}" is not what most calls read: only the request matters here
                }
                if (sent.size() == before) {
                    silent.add(m.getName());
                }
            }
        }
        Runnable[] own = {
            () -> client.publish(EventDraft.of("k", "v")), () -> client.publishAll(List.of(EventDraft.of("k", "v"))),
            () -> client.list(EventQuery.after(0, 10)), () -> client.count(EventQuery.after(0, 10)),
            () -> client.countBySender(EventQuery.after(0, 10)), client::latestVersion, () -> client.createSubscription("s", 0),
            client::subscriptions, () -> client.acknowledge("s", 1), client::readiness, client::health,
            () -> client.all("datasets?namespace=ns&limit=2", "datasets", Object.class).count(),
        };
        for (Runnable r : own) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // as above
            }
        }

        Map<String, Object> doc = OpenApiDocument.generate(AiflowApplication.class, "test");
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        List<String> wrong = new ArrayList<>();
        Set<String> operations = new TreeSet<>();
        for (String request : sent) {
            String method = request.substring(0, request.indexOf(' ')).toLowerCase();
            String target = request.substring(request.indexOf(' ') + 1);
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            String template = match(paths.keySet(), "/" + path);
            Map<String, Object> op = template == null ? null : (Map<String, Object>) paths.get(template).get(method);
            if (op == null) {
                wrong.add(request + ": no such operation in the OpenAPI document");
                continue;
            }
            operations.add(method + " " + template);
            Set<String> declared = new TreeSet<>();
            for (Map<String, Object> p : (List<Map<String, Object>>) op.getOrDefault("parameters", List.of())) {
                if ("query".equals(p.get("in"))) {
                    declared.add((String) p.get("name"));
                }
            }
            if (target.contains("?")) {
                for (String pair : target.substring(target.indexOf('?') + 1).split("&")) {
                    String name = URLDecoder.decode(pair.split("=")[0], StandardCharsets.UTF_8);
                    if (!declared.contains(name)) {
                        wrong.add(request + ": query parameter '" + name + "' is not one of " + template + "'s " + declared);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        // every method of the two services sent its request (none failed before it reached the wire)
        assertThat(silent).isEmpty();
        assertThat(operations.size()).as(operations.toString()).isGreaterThan(50);
    }

    /** The document's path template that {@code path} is an instance of ({x} stands for one segment), or null. */
    private static String match(Set<String> templates, String path) {
        String[] segments = path.split("/", -1);
        for (String t : templates) {
            String[] parts = t.split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < parts.length && same; i++) {
                same = parts[i].startsWith("{") || parts[i].equals(segments[i]);
            }
            if (same) {
                return t;
            }
        }
        return null;
    }

    /** The arguments of a call: the few types whose "x"/1 values the client refuses before sending get real ones. */
    private static Object[] arguments(Method m) {
        Class<?>[] types = m.getParameterTypes();
        if (m.getName().equals("upload") && types.length == 2) {
            return new Object[] {"wf.json", "{\"namespace\":\"ns\",\"name\":\"wf\"}"};
        }
        Object[] args = dummies(types);
        for (int i = 0; i < types.length; i++) {
            if (types[i] == org.aiflow.api.metadata.LineageEntity.class) {
                args[i] = org.aiflow.api.metadata.LineageEntity.dataset("x");
            } else if (types[i] == org.aiflow.api.workflow.WorkflowDefinition.class) {
                args[i] = new org.aiflow.api.workflow.WorkflowDefinition("ns", "wf", "d", List.of(new org.aiflow.api.workflow.TaskDefinition("t",
                        org.aiflow.api.workflow.TaskKind.BATCH, new org.aiflow.api.workflow.JobSpec("process", Map.of("command", "true")), List.of())));
            }
        }
        return args;
    }

    /** Plausible arguments of the given types: texts "x", numbers 1, the first enum constant, records of such values. */
    static Object[] dummies(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = dummy(types[i], 0);
        }
        return args;
    }

    private static Object dummy(Class<?> t, int depth) {
        if (t == String.class) {
            return "x";
        } else if (t == long.class || t == Long.class) {
            return 1L;
        } else if (t == int.class || t == Integer.class) {
            return 1;
        } else if (t == double.class || t == Double.class) {
            return 1.0;
        } else if (t == boolean.class || t == Boolean.class) {
            return false;
        } else if (t.isEnum()) {
            return t.getEnumConstants()[0];
        } else if (t == Instant.class) {
            return Instant.EPOCH;
        } else if (t == Duration.class) {
            return Duration.ofSeconds(1);
        } else if (Map.class.isAssignableFrom(t)) {
            return Map.of();
        } else if (List.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t)) {
            return List.of();
        } else if (t.isRecord() && depth < 3) {
            RecordComponent[] components = t.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = dummy(types[i], depth + 1);
            }
            try {
                return t.getDeclaredConstructor(types).newInstance(values);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
