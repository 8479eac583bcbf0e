package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class TaskGraphTest {
    private static final JobSpec JOB = new JobSpec("process", Map.of("command", "true"));

    private static Rule on(String key, Action action) {
        return new Rule(new ConditionSpec("event", Map.of("key", key)), action);
    }

    private static Rule after(String task, Action action) {
        return new Rule(new ConditionSpec("status", Map.of("task", task, "status", "SUCCESS")), action);
    }

    private static TaskDefinition task(String name, TaskKind kind, Rule... rules) {
        return new TaskDefinition(name, kind, JOB, List.of(rules));
    }

    private static TaskExecution execution(long id, String task, int attempt, TaskStatus status) {
        return new TaskExecution(id, 7, "default", "flow", task, attempt, "process", status, null, null, Instant.EPOCH, Instant.EPOCH);
    }

    private static final WorkflowDefinition FLOW = new WorkflowDefinition("default", "flow", "", List.of(
            task("deploy", TaskKind.STREAM, after("evaluate", Action.RESTART), on("halt", Action.STOP)),
            task("train", TaskKind.BATCH, on("train_done", Action.START)),
            task("evaluate", TaskKind.BATCH, after("train", Action.START)),
            task("prepare", TaskKind.BATCH),
            new TaskDefinition("report", TaskKind.BATCH, JOB, List.of(), List.of("train", "evaluate"), null)));

    @Test
    void summarizesRules() {
        assertThat(TaskGraph.summary(on("train_done", Action.START))).isEqualTo("START on event key=train_done");
        assertThat(TaskGraph.summary(new Rule(new ConditionSpec("event", Map.of("value", "a b", "key", "k", "life", "ONCE")), Action.RESTART)))
                .isEqualTo("RESTART on event key=k life=ONCE value=\"a b\"");
        assertThat(TaskGraph.summary(after("train", Action.START))).isEqualTo("START after train");
        assertThat(TaskGraph.summary(new Rule(new ConditionSpec("status", Map.of("task", "train", "status", "FAILED", "trigger", "LEVEL")),
                Action.STOP))).isEqualTo("STOP after train (status=FAILED trigger=LEVEL)");
        assertThat(TaskGraph.summary(new Rule(new ConditionSpec("status", Map.of("task", "t", "workflow", "other")), Action.START)))
                .isEqualTo("START after other/t");
        assertThat(TaskGraph.summary(new Rule(new ConditionSpec("all-of", Map.of("conditions", List.of(
                Map.of("type", "status", "config", Map.of("task", "a")), Map.of("type", "event", "config", Map.of("key", "b"))))),
                Action.START))).isEqualTo("START on all-of(after a, event key=b)");
    }

    @Test
    void drawsTasksThatStartWithTheExecutionFirstAndDependentsUnderTheirTask() {
        List<TaskGraph.Row> rows = TaskGraph.rows(FLOW, TaskGraph.latest(List.of(execution(12, "train", 2, TaskStatus.RUNNING),
                execution(11, "train", 1, TaskStatus.FAILED), execution(10, "prepare", 1, TaskStatus.SUCCESS))), true);
        assertThat(rows).extracting(r -> r.indent() + r.task().name())
                .containsExactly("prepare", "train", "|-> evaluate", "|   `-> deploy", "`-> report");
        List<String> lines = TaskGraph.lines(rows, 100);
        lines.forEach(System.out::println);
        assertThat(lines.get(0)).startsWith("TASK").contains("KIND", "RUNNER", "STATUS", "RULES");
        assertThat(lines.get(1)).contains("prepare", "BATCH", "process", "SUCCESS", "10", "starts with the execution");
        assertThat(lines.get(2)).contains("train", "RUNNING", "12 #2", "START on event key=train_done");
        assertThat(lines.get(4)).contains("deploy", "STREAM", "-", "RESTART after evaluate; STOP on event key=halt");
        assertThat(lines.get(5)).contains("report", "START after train, evaluate");
        assertThat(rows.get(4).after()).containsExactly("train", "evaluate");
        assertThat(lines).allMatch(l -> l.length() <= 100);
    }

    @Test
    void staysWithinTheWidthAndSurvivesCycles() {
        WorkflowDefinition cycle = new WorkflowDefinition("default", "loop", "", List.of(
                task("a", TaskKind.BATCH, after("b", Action.START)),
                task("b".repeat(60), TaskKind.BATCH, after("a", Action.START), on("x".repeat(200), Action.START))));
        List<TaskGraph.Row> rows = TaskGraph.rows(cycle, Map.of(), false);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).task().name()).isEqualTo("a");
        assertThat(rows.get(1).indent()).isEqualTo("\u2514\u2500> ");
        assertThat(TaskGraph.lines(rows, 100)).allMatch(l -> l.length() <= 100).anyMatch(l -> l.endsWith("..."));
    }
}
