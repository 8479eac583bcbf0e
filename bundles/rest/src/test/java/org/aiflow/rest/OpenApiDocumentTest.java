package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.OPTIONS;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * The generated OpenAPI document of the real {@link AiflowApplication} (no OSGi: its field types are
 * walked): every resource method is there, the document's structure is valid OpenAPI 3.0 for the parts
 * it uses, and some operations are described as the API behaves.
 */
class OpenApiDocumentTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** The document as a client reads it: serialized by the API's own mapper and parsed back. */
    private static Map<String, Object> document() throws Exception {
        String json = JsonProvider.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(OpenApiDocument.generate(AiflowApplication.class, "test"));
        Files.writeString(Paths.get("target/openapi.json"), json); // to read or to feed to a validator
        return JsonProvider.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    /** Every "METHOD /path" of the application, found by a walk of its own (no code shared with the generator). */
    private static Set<String> resourceMethods() {
        Set<String> operations = new TreeSet<>();
        for (Field f : AiflowApplication.class.getDeclaredFields()) {
            Path classPath = f.getType().getAnnotation(Path.class);
            if (Modifier.isStatic(f.getModifiers()) || classPath == null) {
                continue;
            }
            for (Method m : f.getType().getMethods()) {
                String verb = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST"
                        : m.isAnnotationPresent(PUT.class) ? "PUT" : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                        : m.isAnnotationPresent(HEAD.class) ? "HEAD" : m.isAnnotationPresent(OPTIONS.class) ? "OPTIONS"
                        : m.isAnnotationPresent(javax.ws.rs.PATCH.class) ? "PATCH" : null;
                Path methodPath = m.getAnnotation(Path.class);
                if (verb == null) {
                    assertThat(methodPath).as("a sub-resource locator the document cannot describe: " + m).isNull();
                    continue;
                }
                StringBuilder path = new StringBuilder();
                for (String segment : (classPath.value() + "/" + (methodPath == null ? "" : methodPath.value())).split("/")) {
                    if (!segment.isEmpty()) {
                        path.append('/').append(segment.replaceAll("\\{\\s*(\\w+)\\s*:[^/]*}", "{$1}"));
                    }
                }
                operations.add(verb + " " + (path.length() == 0 ? "/" : path));
            }
        }
        return operations;
    }

    @Test
    void everyResourceMethodIsAnOperationAndNothingElse() throws Exception {
        Set<String> expected = resourceMethods();
        assertThat(expected).contains("GET /health", "GET /health/ready", "GET /openapi.json", "POST /events", "GET /workflows/{name}",
                "POST /executions/{id}/tasks/{task}/restart", "GET /whoami", "DELETE /tokens/{id}", "GET /models/{name}/versions/latest",
                "GET /cluster");
        Set<String> documented = new TreeSet<>();
        obj(document().get("paths")).forEach((path, item) -> obj(item).keySet().forEach(method -> {
            assertThat(HTTP_METHODS).as(path).contains(method);
            documented.add(method.toUpperCase() + " " + path);
        }));
        assertThat(documented).isEqualTo(expected);
    }

    @Test
    void theStructureIsValidOpenApi30() throws Exception {
        Map<String, Object> doc = document();
        assertThat(doc.get("openapi")).isEqualTo("3.0.3");
        assertThat(obj(doc.get("info"))).containsEntry("title", "AI Flow REST API").containsEntry("version", "test");
        assertThat(list(doc.get("servers"))).containsExactly(Map.of("url", "/aiflow/v1"));
        Map<String, Object> components = obj(doc.get("components"));
        assertThat(obj(components.get("securitySchemes"))).isEqualTo(Map.of(
                "basic", Map.of("type", "http", "scheme", "basic", "description", "a user of the platform's login realm"),
                "bearer", obj(obj(components.get("securitySchemes")).get("bearer"))));
        assertThat(obj(obj(components.get("securitySchemes")).get("bearer"))).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(list(doc.get("security"))).containsExactly(Map.of("basic", List.of()), Map.of("bearer", List.of()));
        assertThat(obj(obj(obj(components.get("schemas")).get("Problem")).get("properties"))).containsOnlyKeys("type", "title", "status", "detail", "code", "message");
        Set<String> tags = new HashSet<>();
        list(doc.get("tags")).forEach(t -> assertThat(tags.add((String) obj(t).get("name"))).as("tag declared once: " + t).isTrue());

        Set<String> operationIds = new HashSet<>();
        Pattern template = Pattern.compile("\\{([^}]+)}");
        obj(doc.get("paths")).forEach((path, item) -> {
            assertThat(path).startsWith("/").doesNotContain("//").doesNotEndWith("/.");
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = template.matcher(path);
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            obj(item).forEach((method, o) -> {
                Map<String, Object> op = obj(o);
                String where = method + " " + path;
                assertThat(operationIds.add((String) op.get("operationId"))).as("unique operationId " + op.get("operationId")).isTrue();
                assertThat((String) op.get("operationId")).matches("[A-Za-z0-9_.-]+");
                assertThat((String) op.get("summary")).as(where).isNotBlank();
                assertThat(list(op.get("tags"))).as(where).hasSize(1).allSatisfy(t -> assertThat(tags).contains((String) t));
                Set<String> declared = new TreeSet<>();
                Set<String> seen = new HashSet<>();
                for (Object p : op.containsKey("parameters") ? list(op.get("parameters")) : List.of()) {
                    Map<String, Object> param = obj(p);
                    assertThat(param.get("in")).as(where).isIn("path", "query", "header", "cookie");
                    assertThat(seen.add(param.get("in") + " " + param.get("name"))).as("parameter once: " + where + " " + param).isTrue();
                    assertThat(obj(param.get("schema"))).as(where + " " + param).containsKey("type");
                    if ("path".equals(param.get("in"))) {
                        assertThat(param.get("required")).as(where + " " + param).isEqualTo(true);
                        declared.add((String) param.get("name"));
                    }
                }
                assertThat(declared).as("path parameters of " + where).isEqualTo(inTemplate);
                if (op.containsKey("requestBody")) {
                    assertThat(obj(obj(op.get("requestBody")).get("content"))).as(where).isNotEmpty().allSatisfy((type, media) ->
                            assertThat(obj(media)).containsKey("schema"));
                }
                Map<String, Object> responses = obj(op.get("responses"));
                assertThat(responses).as(where).containsEntry("default", Map.of("$ref", "#/components/responses/Problem"));
                assertThat(responses.keySet()).as(where).hasSizeGreaterThan(1).allSatisfy(code -> assertThat(code).matches("default|[1-5](XX|\\d\\d)"));
                responses.values().forEach(r -> assertThat(obj(r).containsKey("description") || obj(r).containsKey("$ref")).isTrue());
                if (op.containsKey("security")) {
                    assertThat(list(op.get("security"))).as(where).isEmpty();
                }
            });
        });
        assertThat(operationIds).hasSizeGreaterThan(60);
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).contains("#/components/schemas/Problem", "#/components/responses/Problem", "#/components/schemas/Event",
                "#/components/schemas/Workflow");
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            Object target = doc;
            for (String segment : ref.substring(2).split("/")) {
                target = obj(target).get(segment.replace("~1", "/").replace("~0", "~"));
                assertThat(target).as("$ref " + ref + " resolves").isNotNull();
            }
            assertThat(target).isInstanceOf(Map.class);
        }
        // every schema uses OpenAPI 3.0's types, and a $ref stands alone (3.0 ignores its siblings)
        checkSchemas(doc);
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add((String) v);
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, refs));
        }
    }

    private static void checkSchemas(Object node) {
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey("$ref")) {
                assertThat(m.keySet()).as("a $ref without siblings: " + m).hasSize(1);
            }
            Object type = m.get("type");
            if (type instanceof String t && (m.containsKey("properties") || m.containsKey("items") || m.containsKey("format")
                    || m.containsKey("enum"))) {
                assertThat(t).isIn("object", "array", "string", "integer", "number", "boolean");
                if (t.equals("array")) {
                    assertThat(m.containsKey("items")).as("an array has items: " + m).isTrue();
                }
            }
            m.values().forEach(OpenApiDocumentTest::checkSchemas);
        } else if (node instanceof List<?> l) {
            l.forEach(OpenApiDocumentTest::checkSchemas);
        }
    }

    private static Map<String, Object> operation(Map<String, Object> doc, String path, String method) {
        return obj(obj(obj(doc.get("paths")).get(path)).get(method));
    }

    private static Map<String, Object> parameter(Map<String, Object> op, String name) {
        return list(op.get("parameters")).stream().map(OpenApiDocumentTest::obj).filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " in " + op.get("operationId")));
    }

    @Test
    void eventsAreDescribedAsTheApiBehaves() throws Exception {
        Map<String, Object> doc = document();
        Map<String, Object> list = operation(doc, "/events", "get");
        assertThat(list).containsEntry("operationId", "EventsResource_list").containsEntry("summary", "List events")
                .containsEntry("tags", List.of("Events")).doesNotContainKey("security").doesNotContainKey("requestBody");
        assertThat(parameter(list, "namespace")).containsEntry("in", "query")
                .containsEntry("schema", Map.of("type", "array", "items", Map.of("type", "string")));
        assertThat(parameter(list, "afterVersion")).containsEntry("in", "query")
                .containsEntry("schema", Map.of("type", "integer", "format", "int64"));
        assertThat(parameter(list, "limit")).containsEntry("in", "query");
        assertThat(parameter(list, "fromTime")).containsEntry("schema", Map.of("type", "string", "format", "date-time"));

        Map<String, Object> publish = operation(doc, "/events", "post");
        Map<String, Object> body = obj(obj(publish.get("requestBody")).get("content"));
        assertThat(body).containsKeys("application/json", "application/*+json");
        assertThat(obj(body.get("application/json"))).containsEntry("schema", Map.of("$ref", "#/components/schemas/EventDraft"));
        assertThat(parameter(publish, "Idempotency-Key")).containsEntry("in", "header");
        // every other POST takes the key through the Idempotency filter, PUT and DELETE of a record If-Match
        Map<String, Object> upload = operation(doc, "/workflows", "post");
        assertThat(parameter(upload, "Idempotency-Key")).containsEntry("in", "header");
        Map<String, Object> update = operation(doc, "/datasets/{name}", "put");
        assertThat(parameter(update, "If-Match")).containsEntry("in", "header");
        assertThat(obj(publish.get("responses"))).containsKey("2XX");

        Map<String, Object> schemas = obj(obj(doc.get("components")).get("schemas"));
        Map<String, Object> event = obj(obj(schemas.get("Event")).get("properties"));
        assertThat(event).containsKeys("namespace", "key", "value", "version", "createTime");
        assertThat(obj(event.get("createTime"))).containsEntry("format", "date-time");
        assertThat(obj(event.get("version"))).containsEntry("type", "integer");
        Map<String, Object> stream = operation(doc, "/events/stream", "get");
        assertThat(obj(obj(obj(stream.get("responses")).get("200")).get("content"))).containsOnlyKeys("text/event-stream");
    }

    @Test
    void typedResultsSecurityAndTags() throws Exception {
        Map<String, Object> doc = document();
        for (String p : List.of("/health", "/health/ready", "/openapi.json")) {
            assertThat(operation(doc, p, "get")).as(p).containsEntry("security", List.of());
        }
        assertThat(operation(doc, "/whoami", "get")).doesNotContainKey("security").containsEntry("tags", List.of("Who am I"));
        assertThat(operation(doc, "/tokens", "get")).containsEntry("summary", "List tokens").containsEntry("tags", List.of("Tokens"));
        assertThat(operation(doc, "/models/{name}/versions", "get")).containsEntry("tags", List.of("Model versions"));
        Map<String, Object> cluster = operation(doc, "/cluster", "get");
        assertThat(cluster).doesNotContainKey("security").containsEntry("tags", List.of("Cluster")).containsEntry("summary", "Get cluster");
        assertThat(obj(obj(obj(obj(cluster.get("responses")).get("200")).get("content")).get("application/json")))
                .containsEntry("schema", Map.of("$ref", "#/components/schemas/ClusterStatus"));
        assertThat(obj(obj(obj(obj(doc.get("components")).get("schemas")).get("ClusterStatus")).get("properties")))
                .containsKeys("self", "leader", "epoch", "leaseAgeMillis", "leaseExpiresInMillis", "leaseTimeoutMillis", "nodes");
        Map<String, Object> workflow = operation(doc, "/workflows/{name}", "get");
        assertThat(workflow).containsEntry("tags", List.of("Workflows")).containsEntry("operationId", "WorkflowList_get");
        assertThat(parameter(workflow, "name")).containsEntry("in", "path").containsEntry("required", true);
        assertThat(obj(obj(obj(obj(workflow.get("responses")).get("200")).get("content")).get("application/json")))
                .containsEntry("schema", Map.of("$ref", "#/components/schemas/Workflow"));
        // the upload takes JSON (an object) or YAML (text)
        Map<String, Object> upload = obj(obj(operation(doc, "/workflows", "post").get("requestBody")).get("content"));
        assertThat(upload).containsKeys("application/json", "application/yaml", "text/yaml");
        assertThat(obj(upload.get("application/yaml"))).containsEntry("schema", Map.of("type", "string"));
        // a derived property is written but not read
        Map<String, Object> subscription = obj(obj(obj(obj(doc.get("components")).get("schemas")).get("SubscriptionInfo")).get("properties"));
        assertThat(obj(subscription.get("lag"))).containsEntry("readOnly", true);
        assertThat(OpenApiDocument.tag(WorkflowsResource.ExecutionList.class)).isEqualTo("Executions");
        assertThat(OpenApiDocument.summary("publishBatch", "/events/batch")).isEqualTo("Publish batch");
        assertThat(OpenApiDocument.summary("get", "/workflows/{name}")).isEqualTo("Get workflow");
        assertThat(OpenApiDocument.summary("stop", "/executions/{id}/stop")).isEqualTo("Stop execution");
        assertThat(OpenApiDocument.summary("start", "/workflows/{name}/executions")).isEqualTo("Start execution");
        assertThat(OpenApiDocument.summary("acknowledge", "/subscriptions/{name}/ack")).isEqualTo("Acknowledge subscription");
        assertThat(OpenApiDocument.summary("snapshot", "/workflows/{name}/snapshot")).isEqualTo("Snapshot");
        assertThat(OpenApiDocument.tag(OpenApiResource.class)).isEqualTo("OpenAPI");
    }

    /**
     * The String parameters a resource parses itself ({@code Rest.longParam}, {@code Rest.optionalLong},
     * {@code Rest.instantParam}) are typed in the document by name: a new one that the name lists lack fails here.
     */
    @Test
    void parsedParametersAreTyped() throws Exception {
        Set<String> integers = new TreeSet<>();
        Set<String> instants = new TreeSet<>();
        Pattern call = Pattern.compile("Rest\\.(longParam|optionalLong|instantParam)\\(\\s*[^,]+,\\s*\"([^\"]+)\"");
        try (Stream<java.nio.file.Path> files = Files.walk(Paths.get("src/main/java"))) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(f));
                while (m.find()) {
                    (m.group(1).equals("instantParam") ? instants : integers).add(m.group(2));
                }
            }
        }
        assertThat(integers).contains("limit", "afterVersion");
        Set<String> parameters = new TreeSet<>();
        for (Class<?> resource : OpenApiDocument.resourceClasses(AiflowApplication.class)) {
            for (Method method : resource.getMethods()) {
                for (Parameter p : method.getParameters()) {
                    if (p.getType() == String.class && p.isAnnotationPresent(QueryParam.class)) {
                        parameters.add(p.getAnnotation(QueryParam.class).value());
                    } else if (p.getType() == String.class && p.isAnnotationPresent(PathParam.class)) {
                        parameters.add(p.getAnnotation(PathParam.class).value());
                    }
                }
            }
        }
        Set<String> parsedIntegers = new TreeSet<>(parameters);
        parsedIntegers.retainAll(integers);
        Set<String> parsedInstants = new TreeSet<>(parameters);
        parsedInstants.retainAll(instants);
        assertThat(OpenApiDocument.INTEGER_PARAMETERS).containsAll(parsedIntegers);
        assertThat(OpenApiDocument.DATE_TIME_PARAMETERS).containsAll(parsedInstants);
    }

    @Test
    void theDocumentIsPublicAndHealthToo() {
        assertThat(Authentication.isPublicPath("/openapi.json")).isTrue();
        assertThat(Authentication.isPublicPath("openapi.json/")).isTrue();
        assertThat(Authentication.isPublicPath("/health")).isTrue();
        assertThat(Authentication.isPublicPath("health/ready/")).isTrue();
        assertThat(Authentication.isPublicPath("/events")).isFalse();
        assertThat(Authentication.isPublicPath("/health/ready/x")).isFalse();
        assertThat(Authentication.isPublicPath("/openapi.json.bak")).isFalse();
    }
}
