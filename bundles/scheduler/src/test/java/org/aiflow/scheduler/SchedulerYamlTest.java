package org.aiflow.scheduler;

import static org.aiflow.api.workflow.Workflows.allOf;
import static org.aiflow.api.workflow.Workflows.event;
import static org.aiflow.api.workflow.Workflows.status;
import static org.aiflow.api.workflow.Workflows.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.CatchUp;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

/** Workflow files in YAML: the same definitions as JSON and the Java DSL, errors with line and column. */
class SchedulerYamlTest {
    static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../../examples/workflows").normalize();

    private static final String YAML = """
            # every field a workflow file has
            namespace: ml
            name: train-flow
            description: >-
              train, validate
              and serve
            options:
              maxParallelExecutions: 1
            tasks:
              - name: train
                job:
                  runnerType: process
                  config:
                    command: python train.py --epochs 3
                    env: {SEED: "42", VERBOSE: "yes"}
                options:
                  retries: 2
                  retryDelaySeconds: 0.5
                  enabled: true
              - name: validate
                kind: BATCH
                job: {runnerType: flink, config: {jar: validate.jar, args: [--strict, "1"]}}
                startAfter: [train]
              - name: serve
                kind: STREAM
                job:
                  runnerType: flink
                  config: {jar: serve.jar}
                rules:
                  - condition: {type: event, config: {key: churn-lr, namespace: ml, type: MODEL_DEPLOYED}}
                    action: RESTART
                  - condition:
                      type: all-of
                      config:
                        conditions:
                          - {type: status, config: {task: validate, status: [FAILED, STOPPED]}}
                          - {type: event, config: {key: stop-serving, life: ONCE}}
                    action: STOP
            triggers:
              - condition: {type: event, config: {key: go}}
                action: START
            schedules:
              - name: nightly
                cron: 0 2 * * *
                timeZone: Europe/Berlin
              - name: refresh
                intervalSeconds: 600
                task: validate
                catchUp: NONE
            """;

    private static final String JSON = """
            {
              "namespace": "ml",
              "name": "train-flow",
              "description": "train, validate and serve",
              "options": {"maxParallelExecutions": 1},
              "tasks": [
                {"name": "train",
                 "job": {"runnerType": "process", "config": {"command": "python train.py --epochs 3", "env": {"SEED": "42", "VERBOSE": "yes"}}},
                 "options": {"retries": 2, "retryDelaySeconds": 0.5, "enabled": true}},
                {"name": "validate", "kind": "BATCH",
                 "job": {"runnerType": "flink", "config": {"jar": "validate.jar", "args": ["--strict", "1"]}},
                 "startAfter": ["train"]},
                {"name": "serve", "kind": "STREAM",
                 "job": {"runnerType": "flink", "config": {"jar": "serve.jar"}},
                 "rules": [
                   {"condition": {"type": "event", "config": {"key": "churn-lr", "namespace": "ml", "type": "MODEL_DEPLOYED"}}, "action": "RESTART"},
                   {"condition": {"type": "all-of", "config": {"conditions": [
                       {"type": "status", "config": {"task": "validate", "status": ["FAILED", "STOPPED"]}},
                       {"type": "event", "config": {"key": "stop-serving", "life": "ONCE"}}]}},
                    "action": "STOP"}]}
              ],
              "triggers": [{"condition": {"type": "event", "config": {"key": "go"}}, "action": "START"}],
              "schedules": [
                {"name": "nightly", "cron": "0 2 * * *", "timeZone": "Europe/Berlin"},
                {"name": "refresh", "intervalSeconds": 600, "task": "validate", "catchUp": "NONE"}
              ]
            }
            """;

    private static WorkflowDefinition yaml(String document) {
        return SchedulerJson.readWorkflow("flow.yaml", document);
    }

    @Test
    void yamlJsonAndTheJavaDslGiveEqualDefinitions() {
        WorkflowDefinition fromYaml = yaml(YAML);
        WorkflowDefinition fromJson = SchedulerJson.readWorkflow("flow.json", JSON);
        WorkflowDefinition fromDsl = workflow("ml", "train-flow")
                .description("train, validate and serve")
                .option("maxParallelExecutions", 1)
                .task("train", t -> t.job("process", Map.of("command", "python train.py --epochs 3",
                                "env", Map.of("SEED", "42", "VERBOSE", "yes")))
                        .option("retries", 2).option("retryDelaySeconds", 0.5).option("enabled", true))
                .task("validate", t -> t.batch().job("flink", Map.of("jar", "validate.jar", "args", List.of("--strict", "1")))
                        .startAfter("train"))
                .task("serve", t -> t.stream().job("flink", Map.of("jar", "serve.jar"))
                        .restartOn(event("churn-lr").namespace("ml").type("MODEL_DEPLOYED"))
                        .stopOn(allOf(status("validate").is(TaskStatus.FAILED, TaskStatus.STOPPED), event("stop-serving").once())))
                .trigger(Action.START, event("go"))
                .scheduleCron("nightly", "0 2 * * *", "Europe/Berlin")
                .schedule("refresh", s -> s.every(java.time.Duration.ofMinutes(10)).task("validate").catchUp(CatchUp.NONE))
                .build();

        assertThat(fromYaml).isEqualTo(fromJson).isEqualTo(fromDsl);
        assertThat(fromYaml.tasks().get(2).kind()).isEqualTo(TaskKind.STREAM);
        // YAML 1.2 booleans: "yes" stays text, only true/false are booleans; numbers are the types JSON gives
        assertThat(fromYaml.tasks().get(0).options()).containsEntry("enabled", true).containsEntry("retries", 2);
        assertThat(fromYaml.tasks().get(0).options().get("retries")).isInstanceOf(Integer.class);
    }

    @Test
    void theMlPipelineExampleReadsAsItsJsonAndItsJavaDsl() throws IOException {
        WorkflowDefinition fromYaml = SchedulerJson.readWorkflow("ml-pipeline.yaml", Files.readString(EXAMPLES.resolve("ml-pipeline.yaml")));
        WorkflowDefinition fromDsl = workflow("ml-pipeline")
                .description("Churn model: ingest new events, validate them, train, evaluate and deploy; nightly and on new data, "
                        + "one execution at a time.")
                .option("maxParallelExecutions", 1)
                .task("ingest", t -> t.batch()
                        .process("echo \"ingest: copying new churn events (workflow $AIFLOW_WORKFLOW, task execution $AIFLOW_TASK_EXECUTION_ID)\"")
                        .option("retries", 2).option("retryDelaySeconds", 5).option("timeoutSeconds", 600))
                .task("validate", t -> t.process("echo \"validate: 0 null customer ids, schema unchanged\"").startAfter("ingest"))
                .task("train", t -> t.process("echo \"train: fitting logistic regression on 30 days of events\"\n"
                                + "echo \"train: wrote model churn-lr\"\n")
                        .startAfter("validate").option("retries", 1).option("retryDelaySeconds", 30).option("timeoutSeconds", 3600))
                .task("evaluate", t -> t.process("echo \"evaluate: auc=0.91 (threshold 0.85)\"").startAfter("train"))
                .task("deploy", t -> t.process("echo \"deploy: promoting churn-lr to DEPLOYED\"").startAfter("evaluate"))
                .task("alert", t -> t.process("echo \"alert: training failed after its retries\" >&2")
                        .startOn(status("train").is(TaskStatus.FAILED).level()))
                .trigger(Action.START, event("churn-events").type("DATASET_UPDATED"))
                .schedule("nightly", s -> s.cron("0 2 * * *").timeZone("Europe/Berlin").catchUp(CatchUp.LATEST))
                .build();
        assertThat(fromYaml).isEqualTo(fromDsl);
    }

    @Test
    void everyExampleWorkflowFileReads() throws IOException {
        List<String> read = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(EXAMPLES, "*.{json,yaml,yml}")) {
            for (Path file : files) {
                read.add(SchedulerJson.readWorkflow(file.getFileName().toString(), Files.readString(file)).name());
            }
        }
        assertThat(read).contains("hello-world", "ml-pipeline");
    }

    @Test
    void yamlIsToldByTheFileNameOrByContent() {
        assertThat(SchedulerJson.isYaml("flow.yaml", "{}")).isTrue();
        assertThat(SchedulerJson.isYaml("FLOW.YML", "{}")).isTrue();
        assertThat(SchedulerJson.isYaml("flow.json", " \n\t{\"name\": 1}")).isFalse();
        assertThat(SchedulerJson.isYaml("request body", "\uFEFF{}")).isFalse();
        assertThat(SchedulerJson.isYaml("request body", "name: x")).isTrue();
        assertThat(SchedulerJson.isYaml("request body", "---\nname: x")).isTrue();
        assertThat(SchedulerJson.readWorkflow("request body", "name: hello\ntasks: [{name: t, job: {runnerType: process}}]").name())
                .isEqualTo("hello");
        assertThat(SchedulerJson.readWorkflow("flow.yml", "{name: hello, tasks: [{name: t, job: {runnerType: process}}]}").name())
                .isEqualTo("hello");
    }

    @Test
    void syntaxErrorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> yaml("""
                name: x
                tasks:
                  - name: t
                   job: {runnerType: process}
                """)).isInstanceOf(ValidationException.class)
                .hasMessage("flow.yaml: expected <block end>, but found '<block mapping start>' (line 4, column 4), "
                        + "while parsing a block collection that starts at line 3, column 3");
        assertThatThrownBy(() -> yaml("name: x\n\ttasks: []\n"))
                .hasMessageStartingWith("flow.yaml: found character '\\t(TAB)' that cannot start any token")
                .hasMessageContaining("(line 2, column 1)");
        assertThatThrownBy(() -> yaml("name: x\ntasks: [{name: t, job: {runnerType: process}}\n"))
                .hasMessageStartingWith("flow.yaml: ").hasMessageContaining("(line 3, column 1)")
                .hasMessageContaining("while parsing a flow sequence that starts at line 2, column 8");
        assertThatThrownBy(() -> yaml("name: x\ndescription: \"unterminated\ntasks: []\n"))
                .hasMessage("flow.yaml: found unexpected end of stream (line 4, column 1), while scanning a quoted scalar that starts at line 2, column 14");
    }

    @Test
    void mappingErrorsNameTheLineAndColumn() {
        String task = "tasks:\n  - name: t\n    job:\n      runnerType: process\n";
        assertThatThrownBy(() -> yaml("name: x\ncolour: red\n" + task))
                .hasMessageStartingWith("flow.yaml: Unrecognized field \"colour\"").hasMessageEndingWith("(line 2, column 1)");
        assertThatThrownBy(() -> yaml("name: x\n" + task + "      colour: red\n"))
                .hasMessageStartingWith("flow.yaml: Unrecognized field \"colour\" (class org.aiflow.api.workflow.JobSpec)")
                .hasMessageEndingWith("(line 6, column 7)");
        // the same for JSON: the unknown field's own line, not the end of its object
        assertThatThrownBy(() -> SchedulerJson.readWorkflow("flow.json", "{\"name\": \"x\",\n  \"colour\": \"red\",\n"
                + "  \"tasks\": [{\"name\": \"t\", \"job\": {\"runnerType\": \"process\"}}]}"))
                .hasMessageStartingWith("flow.json: Unrecognized field \"colour\"").hasMessageEndingWith("(line 2, column 3)");
        assertThatThrownBy(() -> yaml("name: 5\n" + task))
                .hasMessageStartingWith("flow.yaml: Cannot coerce Integer value (5) to `java.lang.String`").hasMessageEndingWith("(line 1, column 7)");
        assertThatThrownBy(() -> yaml("name: x\n" + task + "    kind: LAUNCH\n"))
                .hasMessageContaining("\"LAUNCH\": not one of the values accepted").hasMessageEndingWith("(line 6, column 11)");
        assertThatThrownBy(() -> yaml("name: x\n" + task + "    rules:\n      - condition: {type: event}\n        action: GO\n"))
                .hasMessageContaining("\"GO\"").hasMessageEndingWith("(line 8, column 17)");
        assertThatThrownBy(() -> yaml("name: x\n" + task + "    startAfter: train\n"))
                .hasMessageContaining("Cannot construct instance of `java.util.ArrayList`").hasMessageEndingWith("(line 6, column 17)");
    }

    @Test
    void whatYamlHasAndJsonNotIsRefusedWithTheLine() {
        String task = "tasks:\n  - name: t\n    job:\n      runnerType: process\n";
        assertThatThrownBy(() -> yaml("name: x\n" + task + "name: y\n")).hasMessage("flow.yaml: Duplicate field 'name' (line 6, column 5)");
        assertThatThrownBy(() -> yaml("name: x\n" + task + "---\nname: y\n" + task))
                .hasMessage("flow.yaml: a workflow file holds one YAML document; another one starts here (line 7, column 1)");
        assertThatThrownBy(() -> yaml("""
                name: x
                tasks:
                  - name: a
                    job: &shared {runnerType: process, config: {command: "true"}}
                  - name: b
                    job: *shared
                """)).hasMessage("flow.yaml: YAML aliases are not supported (*shared): write the value out (line 6, column 10)");
        assertThatThrownBy(() -> yaml("name: x\n" + task + "      config: {data: !!binary aGVsbG8=}\n"))
                .hasMessage("flow.yaml: tagged YAML values such as !!binary are not supported (line 6, column 22)");
    }

    @Test
    void definitionErrorsAreTheSameAsForJson() {
        assertThatThrownBy(() -> yaml("name: x\ntasks: []\n")).hasMessage("flow.yaml: workflow 'x' has no tasks");
        assertThatThrownBy(() -> yaml("""
                name: x
                tasks:
                  - {name: a, job: {runnerType: process}, startAfter: [b]}
                  - {name: b, job: {runnerType: process}, startAfter: [a]}
                """)).hasMessage("flow.yaml: workflow 'x' has a cycle in startAfter: a -> b -> a");
        assertThatThrownBy(() -> yaml("name: x\ntasks:\n  - name: t\n    job: {runnerType: process}\n    options: {retries: ~}\n"))
                .hasMessage("flow.yaml: 'tasks[0]' holds a null value (in YAML: null or ~); give it a value or leave it out (line 3, column 5)");
        assertThatThrownBy(() -> yaml("")).hasMessageStartingWith("flow.yaml: No content to map");
        assertThatThrownBy(() -> yaml("- a\n- b\n"))
                .hasMessageStartingWith("flow.yaml: Cannot deserialize value of type `org.aiflow.api.workflow.WorkflowDefinition` from Array value");
    }
}
