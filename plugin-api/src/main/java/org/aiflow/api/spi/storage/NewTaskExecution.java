package org.aiflow.api.spi.storage;

/** A task execution the scheduler decided to create; stored QUEUED with the next attempt number. */
public record NewTaskExecution(long workflowExecutionId, String workflowName, String taskName, String runnerType,
                               String reason) {
}
