package org.aiflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.aiflow.api.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** Reading the task context from the environment, system properties and program arguments, and calling with its token. */
class TaskContextTest {
    private static final Map<String, String> ENV = Map.ofEntries(Map.entry("AIFLOW_URL", "http://127.0.0.1:1/aiflow/v1"),
            Map.entry("AIFLOW_TOKEN", "aif_task-env"), Map.entry("AIFLOW_NAMESPACE", "churn"), Map.entry("AIFLOW_WORKFLOW", "wf"),
            Map.entry("AIFLOW_WORKFLOW_EXECUTION_ID", "12"), Map.entry("AIFLOW_TASK", "train"),
            Map.entry("AIFLOW_TASK_EXECUTION_ID", "34"), Map.entry("AIFLOW_EVENT_VERSION", "56"),
            Map.entry("AIFLOW_EVENT_NAMESPACE", "default"), Map.entry("AIFLOW_EVENT_KEY", "churn-lr"),
            Map.entry("AIFLOW_EVENT_TYPE", "MODEL_DEPLOYED"));

    @Test
    void readsEveryVariableOfTheProcessRunner() {
        TaskContext c = TaskContext.of(ENV, new Properties(), List.of());
        assertThat(c).isEqualTo(new TaskContext("http://127.0.0.1:1/aiflow/v1", "aif_task-env", "churn", "wf", 12, "train", 34, null,
                56, "default", "churn-lr", "MODEL_DEPLOYED"));
        assertThat(c.toString()).doesNotContain("aif_task-env").contains("token=***", "taskExecutionId=34");
    }

    @Test
    void programArgumentsWinOverSystemPropertiesWhichWinOverTheEnvironment() {
        Properties props = new Properties();
        props.setProperty("aiflow.url", "http://props:8181/aiflow/v1");
        props.setProperty("aiflow.task_execution_id", "77");
        props.setProperty("aiflow.namespace", "from-props");
        TaskContext c = TaskContext.of(ENV, props, List.of("--model", "m", "--aiflow-namespace", "from-args", "--rate", "5",
                "--aiflow-token", "aif_task-args", "--aiflow-event-key", ""));
        assertThat(c.url()).isEqualTo("http://props:8181/aiflow/v1");
        assertThat(c.taskExecutionId()).isEqualTo(77);
        assertThat(c.namespace()).isEqualTo("from-args");
        assertThat(c.token()).isEqualTo("aif_task-args");
        assertThat(c.eventKey()).as("an empty placeholder (no event) reads as absent").isNull();
        assertThat(c.workflow()).isEqualTo("wf");
    }

    @Test
    void theFlinkArgumentsCoverEveryVariableAndReadBack() {
        List<String> args = TaskContext.programArguments();
        assertThat(args).containsSequence("--aiflow-url", "${aiflow.url}")
                .containsSequence("--aiflow-task-execution-id", "${aiflow.task_execution_id}")
                .containsSequence("--aiflow-event-file", "${aiflow.event_file}").hasSize(2 * TaskContext.VARIABLES.size());
        // what the flink runner hands the job once it substituted the placeholders (no event: empty values)
        List<String> substituted = args.stream().map(a -> switch (a) {
            case "${aiflow.url}" -> "http://h:8181/aiflow/v1";
            case "${aiflow.task_execution_id}" -> "9";
            case "${aiflow.workflow_execution_id}" -> "3";
            case "${aiflow.event_version}" -> "";
            default -> a.startsWith("${") ? a.substring(2, a.length() - 1).replace("aiflow.", "v-") : a;
        }).toList();
        TaskContext c = TaskContext.of(Map.of(), new Properties(), substituted);
        assertThat(c.url()).isEqualTo("http://h:8181/aiflow/v1");
        assertThat(c.taskExecutionId()).isEqualTo(9);
        assertThat(c.workflowExecutionId()).isEqualTo(3);
        assertThat(c.task()).isEqualTo("v-task");
        assertThat(c.eventVersion()).isZero();
        assertThat(TaskContext.isContextArgument("--aiflow-task")).isTrue();
        assertThat(TaskContext.isContextArgument("--aiflow-bogus")).isFalse();
    }

    @Test
    void refusesAMissingUrlAWrongSchemeABadIdAndAnArgumentWithoutValue() {
        assertThatThrownBy(() -> TaskContext.of(Map.of(), new Properties(), List.of("--model", "m")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AIFLOW_URL").hasMessageContaining("--aiflow-url");
        assertThatThrownBy(() -> TaskContext.of(Map.of("AIFLOW_URL", "ftp://x"), null, List.of()))
                .hasMessageContaining("must be http(s)");
        assertThatThrownBy(() -> TaskContext.of(Map.of("AIFLOW_URL", "http://x", "AIFLOW_TASK_EXECUTION_ID", "x1"), null, List.of()))
                .hasMessageContaining("AIFLOW_TASK_EXECUTION_ID must be a whole number");
        assertThatThrownBy(() -> TaskContext.of(Map.of("AIFLOW_URL", "http://x"), null, List.of("--aiflow-token")))
                .hasMessageContaining("--aiflow-token needs a value");
    }

    @Test
    void readsTheTriggeringEventFromItsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("event.json");
        Files.writeString(file, "{\"version\":56,\"namespace\":\"default\",\"key\":\"churn-lr\",\"value\":\"3\",\"type\":\"MODEL_DEPLOYED\","
                + "\"sender\":\"metadata\",\"createTime\":\"2026-12-07T10:00:00Z\",\"unknownField\":1}");
        TaskContext c = TaskContext.of(Map.of("AIFLOW_URL", "http://x", "AIFLOW_EVENT_FILE", file.toString()), null, List.of());
        Event e = c.event().orElseThrow();
        assertThat(e.version()).isEqualTo(56);
        assertThat(e.key()).isEqualTo("churn-lr");
        assertThat(e.value()).isEqualTo("3");
        assertThat(TaskContext.of(Map.of("AIFLOW_URL", "http://x"), null, List.of()).event()).isEmpty();
        TaskContext gone = TaskContext.of(Map.of("AIFLOW_URL", "http://x", "AIFLOW_EVENT_FILE", dir.resolve("no.json").toString()),
                null, List.of());
        assertThatThrownBy(gone::event).isInstanceOf(IllegalStateException.class).hasMessageContaining("no.json");
    }

    @Test
    void survivesSerializationAsAFlinkOperatorCarriesIt() throws Exception {
        TaskContext c = TaskContext.of(ENV, null, List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(c);
        }
    }

    @Test
    void theClientCallsWithTheTasksToken() throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/events/latest", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"version\":41}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1");
            AiflowClient client = AiflowClient.fromTaskEnvironment("--aiflow-url", base.toString(), "--aiflow-token", "aif_task-1");
            assertThat(client.latestVersion()).isEqualTo(41);
            assertThat(authorization.get()).isEqualTo("Bearer aif_task-1");
        } finally {
            server.stop(0);
        }
    }
}
