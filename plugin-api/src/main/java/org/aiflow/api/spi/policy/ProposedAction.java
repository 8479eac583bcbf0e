package org.aiflow.api.spi.policy;

import java.util.Map;

import org.aiflow.api.workflow.Action;

/**
 * An action the scheduler is about to execute: starting a task ({@code taskName} set), or starting a
 * workflow execution ({@code taskName} null, {@code workflowExecutionId} 0).
 *
 * @param attempt         the attempt number the task execution would get (1 for the first run)
 * @param taskOptions     the task's {@code options} from its definition (empty for an execution start)
 * @param workflowOptions the workflow's {@code options} from its definition
 */
public record ProposedAction(String workflowName, long workflowExecutionId, String taskName, Action action, int attempt,
                             Map<String, Object> taskOptions, Map<String, Object> workflowOptions) {
    public ProposedAction {
        taskOptions = taskOptions == null ? Map.of() : Map.copyOf(taskOptions);
        workflowOptions = workflowOptions == null ? Map.of() : Map.copyOf(workflowOptions);
    }

    /** True when this is the start of a workflow execution rather than of a task. */
    public boolean isExecutionStart() {
        return taskName == null;
    }
}
