package org.aiflow.examples.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The jobs' platform calls carry the task's token ({@code --aiflow-token}, {@code ${aiflow.token}} in the workflow). */
class RegistryTest {
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private String url;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/aiflow/v1/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            paths.add(String.valueOf(exchange.getRequestURI()));
            byte[] body = "{\"status\":404,\"code\":\"not_found\",\"message\":\"no dataset\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/aiflow/v1";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void callsSendTheTasksTokenAsBearer() {
        Args args = Args.parse("TrainJob", new String[] {"--aiflow-url", url, "--aiflow-token", "aif_task-secret", "--namespace", "churn",
                "--model", "m"}, java.util.Set.of());

        assertThat(args.registry().dataset("train")).isEmpty();

        assertThat(authorizations).isNotEmpty().allMatch("Bearer aif_task-secret"::equals);
        assertThat(args.toString()).doesNotContain("aif_task-secret").contains("aiflow-token=***");
        assertThat(args.registry().toString()).doesNotContain("aif_task-secret");
    }

    @Test
    void aBlankTokenMeansNoCredentials() {
        // ${aiflow.token} is empty where the platform runs without security
        Args args = Args.parse("TrainJob", new String[] {"--aiflow-url", url, "--aiflow-token", "", "--model", "m"}, java.util.Set.of());

        assertThat(args.registry().dataset("train")).isEmpty();

        assertThat(authorizations).isNotEmpty().allMatch("null"::equals);
    }

    @Test
    void theTaskContextArgumentsOfTheFlinkRunnerReachTheRegistry() {
        // what the flink runner hands the job for ml-lifecycle.yaml's args once it filled in the placeholders
        Args args = Args.parse("TrainJob", new String[] {"--aiflow-url", url, "--aiflow-token", "aif_task-2", "--aiflow-namespace", "churn",
                "--aiflow-task-execution-id", "42", "--aiflow-event-key", "", "--model", "m"}, java.util.Set.of());

        assertThat(args.taskExecutionId()).isEqualTo(42);
        assertThat(args.context().namespace()).isEqualTo("churn");
        assertThat(args.registry().dataset("train")).isEmpty();

        assertThat(authorizations).isNotEmpty().allMatch("Bearer aif_task-2"::equals);
        assertThat(paths).isNotEmpty().allMatch(p -> p.contains("namespace=churn"), "calls in namespace churn");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Args.parse("TrainJob",
                new String[] {"--aiflow-bogus", "1", "--model", "m"}, java.util.Set.of()))).hasMessageContaining("unknown argument --aiflow-bogus");
    }

    @Test
    void theOlderNamesStillWork() {
        Args args = Args.parse("DeployJob", new String[] {"--aiflow-url", url, "--namespace", "old", "--task-execution-id", "7",
                "--model", "m"}, java.util.Set.of());

        assertThat(args.taskExecutionId()).isEqualTo(7);
        assertThat(args.registry().namespace()).isEqualTo("old");
    }
}
