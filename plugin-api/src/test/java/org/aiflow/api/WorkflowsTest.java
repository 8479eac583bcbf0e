package org.aiflow.api;

import static org.aiflow.api.workflow.Workflows.allOf;
import static org.aiflow.api.workflow.Workflows.anyOf;
import static org.aiflow.api.workflow.Workflows.condition;
import static org.aiflow.api.workflow.Workflows.event;
import static org.aiflow.api.workflow.Workflows.status;
import static org.aiflow.api.workflow.Workflows.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.CatchUp;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.api.workflow.Workflows;
import org.junit.jupiter.api.Test;

class WorkflowsTest {
    private static final Map<String, Object> SERVE_JOB = Map.of("jar", "serve.jar", "parallelism", 2);

    @Test
    void buildsWhatTheRecordsSayByHand() {
        WorkflowDefinition built = workflow("ml", "train-flow")
                .description("train, validate, serve")
                .option("maxParallelExecutions", 1)
                .task("train", t -> t.process("python train.py").option("retries", 2).option("retryDelaySeconds", 0.5))
                .task("validate", t -> t.batch().job("flink", Map.of("jar", "validate.jar")).startAfter("train"))
                .task("serve", t -> t.kind(TaskKind.STREAM).job("flink", SERVE_JOB)
                        .restartOn(event("churn-lr").namespace("ml").type("MODEL_DEPLOYED"))
                        .stopOn(event("stop-serving").once()))
                .task("alert", t -> t.process("echo failed").startOn(status("train").is(TaskStatus.FAILED).level()))
                .trigger(Action.START, event("go"))
                .trigger(Action.STOP, event("halt").value("now"))
                .scheduleCron("nightly", "0 2 * * *", "Europe/Berlin")
                .schedule("refresh", s -> s.every(Duration.ofMinutes(10)).task("validate").catchUp(CatchUp.NONE))
                .build();

        WorkflowDefinition byHand = new WorkflowDefinition("ml", "train-flow", "train, validate, serve", List.of(
                new TaskDefinition("train", TaskKind.BATCH, new JobSpec("process", Map.of("command", "python train.py")), List.of(),
                        List.of(), Map.of("retries", 2, "retryDelaySeconds", 0.5)),
                new TaskDefinition("validate", TaskKind.BATCH, new JobSpec("flink", Map.of("jar", "validate.jar")), List.of(),
                        List.of("train"), Map.of()),
                new TaskDefinition("serve", TaskKind.STREAM, new JobSpec("flink", SERVE_JOB), List.of(
                        new Rule(new ConditionSpec("event", Map.of("key", "churn-lr", "namespace", "ml", "type", "MODEL_DEPLOYED")),
                                Action.RESTART),
                        new Rule(new ConditionSpec("event", Map.of("key", "stop-serving", "life", "ONCE")), Action.STOP)),
                        List.of(), Map.of()),
                new TaskDefinition("alert", null, new JobSpec("process", Map.of("command", "echo failed")), List.of(
                        new Rule(new ConditionSpec("status", Map.of("task", "train", "status", "FAILED", "trigger", "LEVEL")), Action.START)),
                        null, null)),
                Map.of("maxParallelExecutions", 1),
                List.of(new Trigger(new ConditionSpec("event", Map.of("key", "go")), Action.START),
                        new Trigger(new ConditionSpec("event", Map.of("key", "halt", "value", "now")), Action.STOP)),
                List.of(new Schedule("nightly", "0 2 * * *", null, "Europe/Berlin", null, null),
                        new Schedule("refresh", null, 600L, null, "validate", CatchUp.NONE)));

        assertThat(built).isEqualTo(byHand);
        assertThat(built.task("validate").orElseThrow().effectiveRules()).isEqualTo(byHand.task("validate").orElseThrow().effectiveRules());
    }

    @Test
    void theSmallestWorkflowTakesTheRecordsDefaults() {
        WorkflowDefinition built = workflow("hello").task("greet", t -> t.job("sample")).build();
        assertThat(built).isEqualTo(new WorkflowDefinition(null, "hello", null,
                List.of(new TaskDefinition("greet", null, new JobSpec("sample", null), null))));
        assertThat(built.namespace()).isEqualTo("default");
        assertThat(built.tasks().get(0).kind()).isEqualTo(TaskKind.BATCH);
    }

    @Test
    void compositeConditionsHaveTheShapeTheSchedulerReads() {
        ConditionSpec upstream = allOf(status("a").is(TaskStatus.SUCCESS), status("b").is(TaskStatus.SUCCESS)).spec();
        // exactly the rule that startAfter stands for
        TaskDefinition sugar = new TaskDefinition("c", null, new JobSpec("sample", null), null, List.of("a", "b"), null);
        assertThat(sugar.effectiveRules()).containsExactly(new Rule(upstream, Action.START));

        ConditionSpec either = anyOf(event("x"), condition("my-plugin", Map.of("threshold", 3))).spec();
        assertThat(either).isEqualTo(new ConditionSpec("any-of", Map.of("conditions", List.of(
                Map.of("type", "event", "config", Map.of("key", "x")),
                Map.of("type", "my-plugin", "config", Map.of("threshold", 3))))));

        assertThat(status("t").is(TaskStatus.FAILED, TaskStatus.STOPPED).ofWorkflow("other", "wf").once().spec().config())
                .isEqualTo(Map.of("task", "t", "status", List.of("FAILED", "STOPPED"), "workflow", "wf", "namespace", "other", "life", "ONCE"));
        assertThat(event("k").sender("me").updated().spec().config())
                .isEqualTo(Map.of("key", "k", "sender", "me", "valueCondition", "UPDATED"));
        assertThat(status("t").level().repeated().spec().config()).isEqualTo(Map.of("task", "t", "trigger", "LEVEL", "life", "REPEATED"));
        ConditionSpec written = new ConditionSpec("event", Map.of("key", "k"));
        assertThat(condition(written).spec()).isSameAs(written);
    }

    @Test
    void conditionsAreValuesThatRefiningDoesNotChange() {
        Workflows.EventCondition base = event("model").namespace("ml");
        Workflows.EventCondition deployed = base.type("MODEL_DEPLOYED");
        assertThat(base.spec().config()).isEqualTo(Map.of("key", "model", "namespace", "ml"));
        assertThat(deployed.spec().config()).containsEntry("type", "MODEL_DEPLOYED");
    }

    @Test
    void validationHappensAtBuildWithTheRecordsMessages() {
        Workflows.WorkflowBuilder twice = workflow("wf")
                .task("a", t -> t.process("true"))
                .task("a", t -> t.process("true"));
        assertThatThrownBy(twice::build).isInstanceOf(ValidationException.class).hasMessage("workflow 'wf' has two tasks named 'a'");

        assertThatThrownBy(() -> workflow("wf").build()).hasMessage("workflow 'wf' has no tasks");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.option("retries", 1)).build()).hasMessage("task 'a' has no job");
        assertThatThrownBy(() -> workflow("wf")
                .task("a", t -> t.process("true").startAfter("b"))
                .task("b", t -> t.process("true").startAfter("a")).build())
                .hasMessage("workflow 'wf' has a cycle in startAfter: a -> b -> a");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true").startAfter("nope")).build())
                .hasMessageContaining("starts after 'nope'");
        assertThatThrownBy(() -> workflow("bad name").task("a", t -> t.process("true")).build())
                .hasMessageStartingWith("workflow name 'bad name' is invalid");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true")).trigger(Action.NONE, event("x")).build())
                .hasMessage("trigger action must be START, STOP or RESTART");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true")).trigger(Action.START, null).build())
                .hasMessage("workflow 'wf' trigger 1 has no condition");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true").rule(null, event("x"))).build())
                .hasMessage("rule action is required");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true")).schedule("s", s -> s.cron("0 * * * *")
                .every(Duration.ofSeconds(5))).build()).hasMessage("schedule 's' needs exactly one of 'cron' and 'intervalSeconds'");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true")).scheduleEvery("s", Duration.ofMillis(1500)).build())
                .hasMessage("schedule 's': the interval must be whole seconds, got PT1.5S");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true")).schedule("s", s -> s.cron("0 * * * *").task("b")).build())
                .hasMessageContaining("starts task 'b', which is not a task");
    }

    @Test
    void valuesAreTakenAsAFileHoldsThem() {
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        withNull.add(3L);
        Map<String, Object> env = new HashMap<>();
        env.put("A", 1.5f);
        WorkflowDefinition built = workflow("wf")
                .option("big", 10_000_000_000L)
                .task("a", t -> t.job("process", Map.of("args", withNull, "env", env)).option("retries", 2L)
                        .option("ratio", new BigDecimal("0.25")).option("short", (short) 3))
                .build();
        TaskDefinition a = built.tasks().get(0);
        assertThat(a.options()).isEqualTo(Map.of("retries", 2, "ratio", 0.25, "short", 3));
        assertThat(a.options().get("retries")).isInstanceOf(Integer.class);
        assertThat(built.options().get("big")).isEqualTo(10_000_000_000L);
        assertThat(a.job().config().get("env")).isEqualTo(Map.of("A", 1.5));
        assertThat(a.job().config().get("args")).isEqualTo(withNullAsRead());

        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true").option("timeout", Duration.ofMinutes(5))).build())
                .isInstanceOf(ValidationException.class)
                .hasMessage("task 'a' option 'timeout': a java.time.Duration is not a value a workflow file can hold "
                        + "(use strings, numbers, booleans, lists and maps)");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.job("x", Map.of("m", Map.of(1, "one")))).build())
                .hasMessage("task 'a' job config 'm': map keys must be strings, got 1");
        assertThatThrownBy(() -> workflow("wf").task("a", t -> t.process("true").startOn(condition("c", Map.of("s", TaskStatus.FAILED)))).build())
                .hasMessageStartingWith("task 'a' rule 1 condition config 's': a org.aiflow.api.execution.TaskStatus is not a value");
        assertThatThrownBy(() -> workflow("wf").option("x", Double.NaN).task("a", t -> t.process("true")).build())
                .hasMessage("workflow 'wf' option 'x': NaN is not a number a workflow file can hold");
        assertThatThrownBy(() -> workflow("wf").option("x", null)).isInstanceOf(NullPointerException.class).hasMessage("option 'x' needs a value");
    }

    private static List<Object> withNullAsRead() {
        List<Object> list = new ArrayList<>();
        list.add(null);
        list.add(3);
        return list;
    }

    @Test
    void buildingAgainGivesAnEqualDefinitionAndRecordsCanBeMixedIn() {
        TaskDefinition written = new TaskDefinition("b", TaskKind.BATCH, new JobSpec("sample", Map.of("durationMillis", 5L)), null,
                List.of("a"), null);
        Workflows.WorkflowBuilder builder = workflow("wf")
                .task("a", t -> t.job(new JobSpec("sample", Map.of())))
                .task(written)
                .schedule(new Schedule("hourly", "0 * * * *", null, null, null, null));
        WorkflowDefinition first = builder.build();
        assertThat(builder.build()).isEqualTo(first);
        assertThat(first.tasks().get(1).job().config()).isEqualTo(Map.of("durationMillis", 5));
        assertThat(first.schedules()).extracting(Schedule::name).containsExactly("hourly");
    }
}
