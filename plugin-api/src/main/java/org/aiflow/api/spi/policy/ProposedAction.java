package org.aiflow.api.spi.policy;

import org.aiflow.api.workflow.Action;

/**
 * An action the scheduler is about to execute for a task.
 *
 * @param attempt the attempt number the task execution would get (1 for the first run)
 */
public record ProposedAction(String workflowName, long workflowExecutionId, String taskName, Action action,
                             int attempt) {
}
