package org.aiflow.api.spi.storage;

/**
 * A task execution the scheduler decided to create; stored QUEUED with the next attempt number.
 *
 * @param namespace the namespace of its workflow execution; null: the store looks it up
 */
public record NewTaskExecution(long workflowExecutionId, String namespace, String workflowName, String taskName, String runnerType,
                               String reason) {
    /** The store looks the namespace up from the workflow execution. */
    public NewTaskExecution(long workflowExecutionId, String workflowName, String taskName, String runnerType, String reason) {
        this(workflowExecutionId, null, workflowName, taskName, runnerType, reason);
    }
}
