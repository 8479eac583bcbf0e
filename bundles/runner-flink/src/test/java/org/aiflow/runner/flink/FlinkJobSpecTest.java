package org.aiflow.runner.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.workflow.TaskKind;
import org.junit.jupiter.api.Test;

/** The flink job configuration and its placeholders, without a cluster. */
class FlinkJobSpecTest {
    private static final Path HOME = Paths.get("/opt/aiflow");
    private static final String DEFAULT_URL = "http://127.0.0.1:8181/aiflow/v1";
    private static final Map<String, String> TASK = Map.ofEntries(Map.entry("AIFLOW_URL", "http://10.0.0.5:9090/aiflow/v1"),
            Map.entry("AIFLOW_TOKEN", "aif_secret"), Map.entry("AIFLOW_WORKFLOW_EXECUTION_ID", "7"),
            Map.entry("AIFLOW_EVENT_FILE", "/logs/task-11/event.json"), Map.entry("AIFLOW_EVENT_VERSION", "42"),
            Map.entry("AIFLOW_EVENT_NAMESPACE", "sales"), Map.entry("AIFLOW_EVENT_KEY", "churn-lr"),
            Map.entry("AIFLOW_EVENT_TYPE", "MODEL_DEPLOYED"));

    private static JobRequest request(Map<String, Object> config, Map<String, String> env) {
        return new JobRequest(11, "churn", "wf", "train", TaskKind.BATCH, config, Paths.get("/logs/task-11"), env);
    }

    private static Map<String, Object> config(Object args) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jar", "${aiflow.home}/jobs.jar");
        c.put("args", args);
        return c;
    }

    @Test
    void everyTaskVariableIsAPlaceholderInArgsAndConfiguration() throws Exception {
        Map<String, Object> c = config(List.of("--url", "${aiflow.url}", "--token", "${aiflow.token}", "--ns", "${aiflow.namespace}",
                "--wf", "${aiflow.workflow}", "--x", "${aiflow.workflow_execution_id}", "--task", "${aiflow.task}",
                "--t", "${aiflow.task_execution_id}", "--old", "${aiflow.taskExecutionId}", "--file", "${aiflow.event_file}",
                "--v", "${aiflow.event_version}", "--en", "${aiflow.event_namespace}", "--k", "${aiflow.event_key}",
                "--type", "${aiflow.event_type}", "--both", "${aiflow.namespace}/${aiflow.event_key}@${aiflow.home}", 3));
        c.put("configuration", Map.of("pipeline.name", "${aiflow.workflow}/${aiflow.task}#${aiflow.task_execution_id}",
                "my.token", "${aiflow.token}", "parallelism.default", 2));

        FlinkJobSpec spec = FlinkJobSpec.of(request(c, TASK), HOME, null, DEFAULT_URL);

        assertThat(spec.args()).containsExactly("--url", "http://10.0.0.5:9090/aiflow/v1", "--token", "aif_secret", "--ns", "churn",
                "--wf", "wf", "--x", "7", "--task", "train", "--t", "11", "--old", "11", "--file", "/logs/task-11/event.json",
                "--v", "42", "--en", "sales", "--k", "churn-lr", "--type", "MODEL_DEPLOYED", "--both", "churn/churn-lr@/opt/aiflow", "3");
        assertThat(spec.configuration()).containsOnly(Map.entry("pipeline.name", "wf/train#11"), Map.entry("my.token", "aif_secret"),
                Map.entry("parallelism.default", "2"));
        assertThat(spec.jar()).isEqualTo(HOME.resolve("jobs.jar"));
        // what the runner writes to flink.log
        assertThat(spec.describe("aif_secret")).doesNotContain("aif_secret").contains("--token, ***").contains("my.token=***");
    }

    @Test
    void theRunnersOwnUrlWinsAndARequestWithoutOneGetsTheDefault() throws Exception {
        Map<String, Object> c = config(List.of("${aiflow.url}"));
        assertThat(FlinkJobSpec.of(request(c, TASK), HOME, "http://platform.example:8181/aiflow/v1", DEFAULT_URL).args())
                .containsExactly("http://platform.example:8181/aiflow/v1");
        assertThat(FlinkJobSpec.of(request(c, Map.of()), HOME, null, DEFAULT_URL).args()).containsExactly(DEFAULT_URL);
    }

    @Test
    void placeholdersWithoutAValueAreEmptyAndValuesAreNotSubstitutedAgain() throws Exception {
        Map<String, Object> c = config(List.of("[${aiflow.token}]", "[${aiflow.event_key}]", "[${aiflow.event_file}]",
                "${aiflow.workflow_execution_id}", "${aiflow.event_key}"));
        assertThat(FlinkJobSpec.of(request(c, Map.of()), HOME, null, DEFAULT_URL).args())
                .containsExactly("[]", "[]", "[]", "", "");

        Map<String, String> tricky = Map.of("AIFLOW_EVENT_KEY", "${aiflow.token}$1\\");
        assertThat(FlinkJobSpec.of(request(config(List.of("${aiflow.event_key}")), tricky), HOME, null, DEFAULT_URL).args())
                .containsExactly("${aiflow.token}$1\\");
    }

    @Test
    void anUnknownPlaceholderOrBadConfigurationIsRefused() {
        assertThatThrownBy(() -> FlinkJobSpec.of(request(config(List.of("${aiflow.task_execution}")), TASK), HOME, null, DEFAULT_URL))
                .isInstanceOf(JobRunnerException.class).hasMessageContaining("unknown placeholder ${aiflow.task_execution}")
                .hasMessageContaining("${aiflow.task_execution_id}").hasMessageNotContaining("aif_secret");
        Map<String, Object> list = config(List.of());
        list.put("configuration", List.of("a"));
        assertThatThrownBy(() -> FlinkJobSpec.of(request(list, TASK), HOME, null, DEFAULT_URL))
                .hasMessageContaining("'configuration' must be a map");
        Map<String, Object> nested = config(List.of());
        nested.put("configuration", Map.of("a", Map.of("b", 1)));
        assertThatThrownBy(() -> FlinkJobSpec.of(request(nested, TASK), HOME, null, DEFAULT_URL))
                .hasMessageContaining("'configuration' must map keys to strings, numbers or booleans");
        // text other than ${aiflow.*} is left alone
        Map<String, Object> other = config(List.of("${HOME}", "$aiflow.url", "${aiflow.url"));
        assertThat(catching(() -> FlinkJobSpec.of(request(other, TASK), HOME, null, DEFAULT_URL).args()))
                .isEqualTo(List.of("${HOME}", "$aiflow.url", "${aiflow.url"));
    }

    @Test
    void redactionLeavesTextWithoutTheTokenAlone() {
        assertThat(FlinkJobRunner.redact("main failed: bad --aiflow-token aif_secret", "aif_secret"))
                .isEqualTo("main failed: bad --aiflow-token ***");
        assertThat(FlinkJobRunner.redact("anything", null)).isEqualTo("anything");
        assertThat(FlinkJobRunner.redact(null, "aif_secret")).isNull();
    }

    private interface Call<T> {
        T call() throws JobRunnerException;
    }

    private static <T> T catching(Call<T> call) {
        try {
            return call.call();
        } catch (JobRunnerException e) {
            throw new AssertionError(e);
        }
    }
}
