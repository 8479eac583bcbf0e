package org.aiflow.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;

/** Proposed actions, views and workflows built in memory, for testing policies without a database. */
final class PolicyFixtures {
    private PolicyFixtures() {
    }

    /** Starting attempt {@code attempt} of task {@code task} of workflow {@code wf} in execution 5. */
    static ProposedAction taskStart(String task, int attempt, Map<String, Object> taskOptions, Map<String, Object> workflowOptions) {
        return new ProposedAction("wf", 5, task, Action.START, attempt, taskOptions, workflowOptions);
    }

    static ProposedAction taskStart(String task, int attempt, Map<String, Object> taskOptions) {
        return taskStart(task, attempt, taskOptions, Map.of());
    }

    /** Starting an execution of workflow {@code workflow}. */
    static ProposedAction executionStart(String workflow, Map<String, Object> workflowOptions) {
        return new ProposedAction(workflow, 0, null, Action.START, 1, Map.of(), workflowOptions);
    }

    /** A workflow {@code wf} with one task {@code t} of these options. */
    static WorkflowDefinition workflow(Map<String, Object> workflowOptions, Map<String, Object> taskOptions) {
        return new WorkflowDefinition(null, "wf", null, List.of(
                new TaskDefinition("ok", TaskKind.BATCH, new JobSpec("process", Map.of()), List.of()),
                new TaskDefinition("t", TaskKind.BATCH, new JobSpec("process", Map.of()), List.of(), List.of(), taskOptions)),
                workflowOptions);
    }

    /** Counts of running executions and task attempts, set by the test. */
    static final class View implements SchedulingView {
        private final Map<String, Integer> tasks = new HashMap<>();
        private final Map<String, Integer> executions = new HashMap<>();

        View tasks(String workflow, String task, int running) {
            tasks.put(workflow + "/" + task, running);
            return this;
        }

        View executions(String workflow, int running) {
            executions.put(workflow, running);
            return this;
        }

        @Override
        public int runningTasks(String workflowName, String taskName) {
            return tasks.getOrDefault(workflowName + "/" + taskName, 0);
        }

        @Override
        public int runningExecutions(String workflowName) {
            return executions.getOrDefault(workflowName, 0);
        }
    }
}
