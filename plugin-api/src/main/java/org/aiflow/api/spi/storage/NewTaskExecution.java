package org.aiflow.api.spi.storage;

/**
 * A task execution the scheduler decided to create; stored QUEUED.
 *
 * @param namespace the namespace of its workflow execution; null: the store looks it up
 * @param attempt   its attempt number, one more than the newest attempt of the task in that
 *                  execution as the scheduler (the only writer of task executions) knows it; 0: the
 *                  store reads the newest attempt and uses the next (a query more per task)
 */
public record NewTaskExecution(long workflowExecutionId, String namespace, String workflowName, String taskName, String runnerType,
                               String reason, int attempt) {
    public NewTaskExecution {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 (the store chooses) or positive: " + attempt);
        }
    }

    /** The store chooses the attempt number (the next after the stored ones). */
    public NewTaskExecution(long workflowExecutionId, String namespace, String workflowName, String taskName, String runnerType,
                            String reason) {
        this(workflowExecutionId, namespace, workflowName, taskName, runnerType, reason, 0);
    }

    /** The store looks the namespace up from the workflow execution and chooses the attempt number. */
    public NewTaskExecution(long workflowExecutionId, String workflowName, String taskName, String runnerType, String reason) {
        this(workflowExecutionId, null, workflowName, taskName, runnerType, reason, 0);
    }
}
