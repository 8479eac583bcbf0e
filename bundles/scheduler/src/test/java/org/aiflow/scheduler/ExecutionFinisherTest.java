package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** When an execution ends and with which status, against an in-memory host; no database, no worker thread. */
class ExecutionFinisherTest {

    /** The scheduler's side, in memory: running executions, snapshots, newest task attempts, and the ends it stored. */
    static final class FakeHost implements ExecutionFinisher.Host {
        final List<WorkflowExecution> running = new ArrayList<>();
        final Map<Long, WorkflowDefinition> snapshots = new HashMap<>();
        final Map<Long, Map<String, TaskExecution>> latest = new HashMap<>();
        final Map<Long, ExecutionStatus> finished = new LinkedHashMap<>();
        boolean undecided;
        long nextTaskId = 1;

        void execution(long id, long snapshotId, WorkflowDefinition def) {
            running.add(new WorkflowExecution(id, 1, def.namespace(), def.name(), snapshotId, ExecutionStatus.RUNNING, Instant.EPOCH, null));
            snapshots.put(snapshotId, def);
            latest.put(id, new HashMap<>());
        }

        /** Records a newer attempt of a task of an execution. */
        void task(long executionId, String taskName, TaskStatus status) {
            Map<String, TaskExecution> tasks = latest.get(executionId);
            int attempt = tasks.containsKey(taskName) ? tasks.get(taskName).attempt() + 1 : 1;
            tasks.put(taskName, new TaskExecution(nextTaskId++, executionId, "team", "wf", taskName, attempt, "process", status, null,
                    "", Instant.EPOCH, Instant.EPOCH));
        }

        @Override
        public boolean statusChangesUndecided() {
            return undecided;
        }

        @Override
        public List<WorkflowExecution> running() {
            return List.copyOf(running);
        }

        @Override
        public WorkflowDefinition definition(long snapshotId) {
            return snapshots.get(snapshotId);
        }

        @Override
        public Map<String, TaskExecution> latestTasks(long executionId) {
            return latest.get(executionId);
        }

        @Override
        public void finish(long executionId, ExecutionStatus status) {
            finished.put(executionId, status);
            running.removeIf(x -> x.id() == executionId);
        }
    }

    private final FakeHost host = new FakeHost();
    private final ExecutionFinisher finisher = new ExecutionFinisher(host);

    private static TaskDefinition task(String name, List<Rule> rules, List<String> startAfter) {
        return new TaskDefinition(name, TaskKind.BATCH, new JobSpec("process", Map.of("command", "true")), rules, startAfter, null);
    }

    private static TaskDefinition first(String name) {
        return task(name, List.of(), null);
    }

    private static TaskDefinition after(String name, String upstream) {
        return task(name, List.of(), List.of(upstream));
    }

    private static TaskDefinition startedBy(String name, ConditionSpec condition) {
        return task(name, List.of(new Rule(condition, Action.START)), null);
    }

    private static ConditionSpec status(String task, String workflow) {
        Map<String, Object> config = new HashMap<>(Map.of(BuiltInConditionTypes.Status.TASK, task));
        if (workflow != null) {
            config.put(BuiltInConditionTypes.Status.WORKFLOW, workflow);
        }
        return new ConditionSpec(BuiltInConditionTypes.STATUS, config);
    }

    private static ConditionSpec anyOf(ConditionSpec... children) {
        List<Object> list = new ArrayList<>();
        for (ConditionSpec c : children) {
            list.add(Map.of(BuiltInConditionTypes.Composite.TYPE, c.type(), BuiltInConditionTypes.Composite.CONFIG, c.config()));
        }
        return new ConditionSpec(BuiltInConditionTypes.ANY_OF, Map.of(BuiltInConditionTypes.Composite.CONDITIONS, list));
    }

    private static final ConditionSpec EVENT = new ConditionSpec(BuiltInConditionTypes.EVENT,
            Map.of(BuiltInConditionTypes.Event.KEY, "hello"));

    private static WorkflowDefinition workflow(TaskDefinition... tasks) {
        return new WorkflowDefinition("team", "wf", null, List.of(tasks));
    }

    /** extract starts with the execution, train after it, publish on train's SUCCESS (a status rule of its own execution). */
    private static final WorkflowDefinition PIPELINE = workflow(first("extract"), after("train", "extract"),
            startedBy("publish", status("train", null)));

    @Test
    void anExecutionWhoseTasksAllSucceededEndsSuccess() {
        host.execution(10, 1, PIPELINE);
        host.task(10, "extract", TaskStatus.SUCCESS);
        host.task(10, "train", TaskStatus.SUCCESS);
        host.task(10, "publish", TaskStatus.SUCCESS);
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.SUCCESS));
        finisher.finishExecutions();
        assertThat(host.finished).as("ended once").hasSize(1);
    }

    @Test
    void tasksThatNeverStartedDoNotCountAndAFailureEndsItFailed() {
        host.execution(10, 1, PIPELINE);
        host.task(10, "extract", TaskStatus.FAILED);
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.FAILED));
    }

    @Test
    void failedWinsOverStoppedAndStoppedOverSuccess() {
        host.execution(10, 1, PIPELINE);
        host.task(10, "extract", TaskStatus.SUCCESS);
        host.task(10, "train", TaskStatus.STOPPED);
        host.execution(11, 1, PIPELINE);
        host.task(11, "extract", TaskStatus.SUCCESS);
        host.task(11, "train", TaskStatus.SUCCESS);
        host.task(11, "publish", TaskStatus.FAILED);
        host.execution(12, 2, workflow(first("a"), first("b"), first("c")));
        host.task(12, "a", TaskStatus.STOPPED);
        host.task(12, "b", TaskStatus.FAILED);
        host.task(12, "c", TaskStatus.SUCCESS);
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.STOPPED), Map.entry(11L, ExecutionStatus.FAILED),
                Map.entry(12L, ExecutionStatus.FAILED));
    }

    @Test
    void theNewestAttemptOfATaskCounts() {
        host.execution(10, 1, workflow(first("a")));
        host.task(10, "a", TaskStatus.FAILED);
        host.task(10, "a", TaskStatus.SUCCESS); // its retry
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.SUCCESS));
    }

    @ParameterizedTest
    @EnumSource(value = TaskStatus.class, names = {"QUEUED", "WAITING", "RUNNING", "RETRYING", "STOPPING"})
    void anExecutionWithAnActiveTaskRuns(TaskStatus active) {
        host.execution(10, 1, PIPELINE);
        host.task(10, "extract", TaskStatus.SUCCESS);
        host.task(10, "train", active);
        finisher.finishExecutions();
        assertThat(host.finished).isEmpty();
        host.task(10, "train", TaskStatus.FAILED);
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.FAILED));
    }

    @Test
    void nothingEndsWhileAStatusChangeIsUndecided() {
        host.execution(10, 1, PIPELINE);
        host.task(10, "extract", TaskStatus.SUCCESS);
        host.undecided = true; // extract's SUCCESS may still start train
        finisher.finishExecutions();
        assertThat(host.finished).isEmpty();
        host.undecided = false;
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.SUCCESS));
    }

    @Test
    void anExecutionWhoseFirstTasksAreBeingStartedRuns() {
        host.execution(10, 1, workflow(first("a"), first("b")));
        finisher.finishExecutions();
        host.task(10, "a", TaskStatus.SUCCESS);
        finisher.finishExecutions();
        assertThat(host.finished).isEmpty();
        host.task(10, "b", TaskStatus.SUCCESS);
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.SUCCESS));
    }

    @Test
    void aTaskStartableFromOutsideKeepsItsExecutionRunningUntilStopped() {
        host.execution(10, 1, workflow(first("a"), startedBy("on-event", EVENT)));
        host.execution(11, 2, workflow(first("a"), startedBy("on-other", status("train", "other-workflow"))));
        host.execution(12, 3, workflow(first("a"), startedBy("nested", anyOf(status("a", null), EVENT))));
        host.execution(13, 4, workflow(first("a"), task("restart", List.of(new Rule(EVENT, Action.RESTART)), null)));
        for (long x = 10; x <= 13; x++) {
            host.task(x, "a", TaskStatus.SUCCESS);
        }
        finisher.finishExecutions();
        assertThat(host.finished).isEmpty();
    }

    @Test
    void rulesOnItsOwnTasksOnlyOrThatStopLetAnExecutionEnd() {
        host.execution(10, 1, workflow(first("a"), startedBy("b", anyOf(status("a", null), status("c", null))),
                startedBy("c", status("a", null))));
        host.execution(11, 2, workflow(first("a"), task("stopper", List.of(new Rule(EVENT, Action.STOP)), null)));
        host.task(10, "a", TaskStatus.SUCCESS);
        host.task(11, "a", TaskStatus.SUCCESS);
        host.task(11, "stopper", TaskStatus.STOPPED);
        finisher.finishExecutions();
        assertThat(host.finished).containsExactly(Map.entry(10L, ExecutionStatus.SUCCESS), Map.entry(11L, ExecutionStatus.STOPPED));
    }

    @Test
    void theOutcomeOfNoTasksIsSuccess() {
        assertThat(ExecutionFinisher.outcome(Map.of())).isEqualTo(ExecutionStatus.SUCCESS);
    }
}
