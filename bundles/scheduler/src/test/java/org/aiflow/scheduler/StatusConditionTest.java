package org.aiflow.scheduler;

import static org.aiflow.scheduler.ConditionFixtures.context;
import static org.aiflow.scheduler.ConditionFixtures.event;
import static org.aiflow.scheduler.ConditionFixtures.statusEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

/** The built-in {@code status} condition on its own: configs, events and contexts in memory. */
class StatusConditionTest {
    private final StatusCondition condition = new StatusCondition();

    private ConditionResult evaluate(Map<String, Object> config, Event e, Map<String, String> state, ConditionContext ctx) {
        condition.validate(config);
        return condition.evaluate(config, e, state, ctx);
    }

    private boolean fires(Map<String, Object> config, Event e, ConditionContext ctx) {
        return evaluate(config, e, Map.of(), ctx).fired();
    }

    private static Event success(long executionId, String task) {
        return statusEvent(10, executionId, "default", "wf", task, TaskStatus.SUCCESS);
    }

    // --- configuration -----------------------------------------------------------------------

    @Test
    void needsATask() {
        assertThatThrownBy(() -> condition.validate(Map.of())).isInstanceOf(ValidationException.class)
                .hasMessage("status condition needs the name of a 'task'");
        assertThatThrownBy(() -> condition.validate(Map.of("task", ""))).hasMessage("status condition needs the name of a 'task'");
        assertThatThrownBy(() -> condition.validate(Map.of("task", 3))).hasMessage("status condition needs the name of a 'task'");
    }

    @Test
    void refusesUnknownFields() {
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "state", "SUCCESS")))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("status condition has unknown field 'state' (allowed: ")
                .hasMessageContainingAll("task", "workflow", "namespace", "status", "trigger", "life");
    }

    @Test
    void refusesUnknownStatusesAndAnEmptyList() {
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "status", "DONE")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("status condition: 'DONE' is not a task status " + Arrays.toString(TaskStatus.values()));
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "status", "success")))
                .as("statuses are upper case").hasMessageContaining("'success' is not a task status");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "status", List.of("SUCCESS", "OK"))))
                .hasMessageContaining("'OK' is not a task status");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "status", 1))).hasMessageContaining("'1' is not a task status");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "status", List.of())))
                .hasMessage("status condition field 'status' names no status");
    }

    @Test
    void refusesBadTriggerLifeAndTypes() {
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "trigger", "PULSE")))
                .hasMessage("status condition field 'trigger' must be EDGE or LEVEL");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "life", "TWICE")))
                .hasMessage("status condition field 'life' must be REPEATED or ONCE");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "trigger", "LEVEL", "workflow", "other")))
                .hasMessage("a LEVEL status condition watches a task of its own execution: it has no 'workflow'");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "trigger", 1))).hasMessage("status condition field 'trigger' must be a string");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "life", true))).hasMessage("status condition field 'life' must be a string");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "workflow", 7))).hasMessage("status condition field 'workflow' must be a string");
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "workflow", "w", "namespace", List.of("x"))))
                .hasMessage("status condition field 'namespace' must be a string");
    }

    @Test
    void acceptsEveryDocumentedShape() {
        condition.validate(Map.of("task", "a"));
        condition.validate(Map.of("task", "a", "status", "FAILED", "trigger", "EDGE", "life", "ONCE"));
        condition.validate(Map.of("task", "a", "status", List.of("FAILED", "STOPPED"), "trigger", "LEVEL", "life", "REPEATED"));
        condition.validate(Map.of("task", "a", "workflow", "other", "namespace", "team"));
    }

    @Test
    void aTaskOfItsOwnWorkflowMustExistButOneOfAnotherWorkflowIsNotChecked() {
        WorkflowDefinition wf = new WorkflowDefinition(null, "wf", null,
                List.of(new TaskDefinition("a", TaskKind.BATCH, new JobSpec("process", Map.of()), List.of())));
        condition.validate(Map.of("task", "a"), wf);
        assertThatThrownBy(() -> condition.validate(Map.of("task", "b"), wf))
                .hasMessage("status condition names task 'b', which is not a task of workflow 'wf'");
        condition.validate(Map.of("task", "b", "workflow", "other"), wf);
        assertThatThrownBy(() -> condition.validate(Map.of("task", "a", "status", "NOPE"), wf))
                .as("the two-argument form checks the config too").hasMessageContaining("'NOPE' is not a task status");
    }

    // --- EDGE, same execution ---------------------------------------------------------------

    @Test
    void edgeFiresOnTheStatusEventOfTheTaskInTheSameExecution() {
        Map<String, Object> config = Map.of("task", "a");
        assertThat(fires(config, success(5, "a"), context(5))).isTrue();
        assertThat(fires(config, success(6, "a"), context(5))).as("another execution of the same workflow").isFalse();
        assertThat(fires(config, success(5, "b"), context(5))).as("another task").isFalse();
        assertThat(fires(config, statusEvent(10, 5, "default", "wf", "a", TaskStatus.RUNNING), context(5)))
                .as("SUCCESS is the default status").isFalse();
        assertThat(fires(config, statusEvent(10, 5, "default", "wf", "a", TaskStatus.FAILED), context(5))).isFalse();
    }

    @Test
    void edgeIgnoresLookAlikeEventsNotPublishedByTheScheduler() {
        Map<String, Object> config = Map.of("task", "a");
        Event real = success(5, "a");
        Event otherSender = new Event(10, real.namespace(), real.key(), real.value(), real.type(), "someone", real.context(), Instant.EPOCH);
        Event otherType = new Event(10, real.namespace(), real.key(), real.value(), "X", real.sender(), real.context(), Instant.EPOCH);
        Event otherNamespace = new Event(10, "default", real.key(), real.value(), real.type(), real.sender(), real.context(), Instant.EPOCH);
        assertThat(TaskStatusEvents.isTaskStatusEvent(real)).isTrue();
        assertThat(fires(config, real, context(5))).isTrue();
        assertThat(fires(config, otherSender, context(5))).isFalse();
        assertThat(fires(config, otherType, context(5))).isFalse();
        assertThat(fires(config, otherNamespace, context(5))).isFalse();
        assertThat(fires(config, event(10, "wf/a", "SUCCESS"), context(5))).isFalse();
    }

    @Test
    void edgeFiresOnAnyStatusOfAList() {
        Map<String, Object> config = Map.of("task", "a", "status", List.of("FAILED", "STOPPED"));
        assertThat(fires(config, statusEvent(10, 5, "default", "wf", "a", TaskStatus.FAILED), context(5))).isTrue();
        assertThat(fires(config, statusEvent(10, 5, "default", "wf", "a", TaskStatus.STOPPED), context(5))).isTrue();
        assertThat(fires(config, statusEvent(10, 5, "default", "wf", "a", TaskStatus.SUCCESS), context(5))).isFalse();

        Map<String, Object> any = Map.of("task", "a", "status", Arrays.stream(TaskStatus.values()).map(Enum::name).toList());
        for (TaskStatus s : TaskStatus.values()) {
            assertThat(fires(any, statusEvent(10, 5, "default", "wf", "a", s), context(5))).as("any status: %s", s).isTrue();
        }
    }

    @Test
    void edgeIsRepeatedByDefaultAndKeepsTheStateItWasGiven() {
        Map<String, Object> config = Map.of("task", "a");
        Map<String, String> state = Map.of("other", "x");
        ConditionResult first = evaluate(config, success(5, "a"), state, context(5));
        assertThat(first.fired()).isTrue();
        assertThat(first.state()).isEqualTo(state);
        assertThat(evaluate(config, success(5, "a"), first.state(), context(5)).fired()).isTrue();
    }

    @Test
    void edgeOnceFiresOnceAndRemembersItInTheState() {
        Map<String, Object> config = Map.of("task", "a", "life", "ONCE");
        ConditionResult miss = evaluate(config, success(5, "b"), Map.of(), context(5));
        assertThat(miss.fired()).isFalse();
        assertThat(miss.state()).isEmpty();
        ConditionResult first = evaluate(config, statusEvent(42, 5, "default", "wf", "a", TaskStatus.SUCCESS), Map.of(), context(5));
        assertThat(first.fired()).isTrue();
        assertThat(first.state()).isEqualTo(Map.of("firedAtVersion", "42"));
        ConditionResult again = evaluate(config, success(5, "a"), first.state(), context(5));
        assertThat(again.fired()).isFalse();
        assertThat(again.state()).isEqualTo(first.state());
    }

    // --- EDGE, another workflow -------------------------------------------------------------

    @Test
    void withAWorkflowItFiresForAnyExecutionOfThatWorkflow() {
        Map<String, Object> config = Map.of("workflow", "up", "task", "a", "status", "FAILED");
        Event failedInUp = statusEvent(10, 77, "team", "up", "a", TaskStatus.FAILED);
        assertThat(fires(config, failedInUp, context(5))).as("execution 77 of 'up', rule of execution 5").isTrue();
        assertThat(fires(config, failedInUp, context(0))).as("in a trigger: execution 0").isTrue();
        assertThat(fires(config, statusEvent(10, 5, "default", "wf", "a", TaskStatus.FAILED), context(5)))
                .as("the same task name in its own workflow").isFalse();
        assertThat(fires(config, statusEvent(10, 77, "team", "up", "a", TaskStatus.SUCCESS), context(5))).isFalse();
        assertThat(fires(config, statusEvent(10, 77, "team", "up", "b", TaskStatus.FAILED), context(5))).isFalse();
    }

    @Test
    void theNamespaceOfTheOtherWorkflowIsAnyUnlessGiven() {
        Event inTeam = statusEvent(10, 77, "team", "up", "a", TaskStatus.SUCCESS);
        Event inOps = statusEvent(10, 78, "ops", "up", "a", TaskStatus.SUCCESS);
        assertThat(fires(Map.of("workflow", "up", "task", "a"), inTeam, context(5))).isTrue();
        assertThat(fires(Map.of("workflow", "up", "task", "a"), inOps, context(5))).isTrue();
        assertThat(fires(Map.of("workflow", "up", "namespace", "team", "task", "a"), inTeam, context(5))).isTrue();
        assertThat(fires(Map.of("workflow", "up", "namespace", "team", "task", "a"), inOps, context(5))).isFalse();
    }

    // --- LEVEL ------------------------------------------------------------------------------

    @Test
    void levelFiresOnAnyEventWhileTheNewestAttemptIsInTheStatus() {
        Map<String, Object> config = Map.of("task", "a", "trigger", "LEVEL", "status", "FAILED");
        Event unrelated = event(3, "anything", "v");
        assertThat(fires(config, unrelated, context(5, Map.of("a", TaskStatus.FAILED)))).isTrue();
        assertThat(fires(config, unrelated, context(5, Map.of("a", TaskStatus.RETRYING))))
                .as("while a retry is pending the level is not reached").isFalse();
        assertThat(fires(config, unrelated, context(5, Map.of("b", TaskStatus.FAILED)))).isFalse();
        assertThat(fires(config, unrelated, context(5))).as("a task that never ran").isFalse();
    }

    @Test
    void levelIsOnceByDefaultAndRepeatedOnRequest() {
        ConditionContext failed = context(5, Map.of("a", TaskStatus.FAILED));
        Map<String, Object> level = Map.of("task", "a", "trigger", "LEVEL", "status", "FAILED");
        ConditionResult first = evaluate(level, event(8, "x", ""), Map.of(), failed);
        assertThat(first.fired()).isTrue();
        assertThat(first.state()).isEqualTo(Map.of("firedAtVersion", "8"));
        assertThat(evaluate(level, event(9, "x", ""), first.state(), failed).fired()).isFalse();

        Map<String, Object> repeated = Map.of("task", "a", "trigger", "LEVEL", "status", "FAILED", "life", "REPEATED");
        ConditionResult r1 = evaluate(repeated, event(8, "x", ""), Map.of(), failed);
        assertThat(r1.fired()).isTrue();
        assertThat(r1.state()).isEmpty();
        assertThat(evaluate(repeated, event(9, "x", ""), r1.state(), failed).fired()).isTrue();
    }

    // --- mayReact ---------------------------------------------------------------------------

    @Test
    void edgeMayReactOnlyToStatusEventsOfItsTaskAndLevelToAnything() {
        Map<String, Object> edge = Map.of("task", "a");
        assertThat(condition.mayReact(edge, success(5, "a"))).isTrue();
        assertThat(condition.mayReact(edge, statusEvent(1, 9, "x", "other", "a", TaskStatus.RUNNING)))
                .as("a cheap check: any status, any execution").isTrue();
        assertThat(condition.mayReact(edge, success(5, "b"))).isFalse();
        assertThat(condition.mayReact(edge, event(1, "wf/a", "SUCCESS"))).isFalse();
        assertThat(condition.mayReact(Map.of("task", "a", "trigger", "LEVEL"), event(1, "k", ""))).isTrue();
    }

    @Test
    void mayReactIsNeverFalseWhenEvaluateFires() {
        List<Map<String, Object>> configs = List.of(Map.of("task", "a"), Map.of("task", "a", "status", "FAILED", "life", "ONCE"),
                Map.of("task", "a", "workflow", "up"), Map.of("task", "a", "trigger", "LEVEL"));
        List<Event> events = List.of(success(5, "a"), success(6, "a"), statusEvent(1, 5, "default", "wf", "a", TaskStatus.FAILED),
                statusEvent(1, 77, "team", "up", "a", TaskStatus.SUCCESS), event(1, "k", "v"));
        ConditionContext ctx = context(5, Map.of("a", TaskStatus.SUCCESS));
        for (Map<String, Object> config : configs) {
            for (Event e : events) {
                if (fires(config, e, ctx)) {
                    assertThat(condition.mayReact(config, e)).as("%s on %s", config, e).isTrue();
                }
            }
        }
    }
}
