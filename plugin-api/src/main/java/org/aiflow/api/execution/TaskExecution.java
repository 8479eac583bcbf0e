package org.aiflow.api.execution;

import java.time.Instant;

/**
 * One run of one task inside a workflow execution.
 *
 * @param namespace  the namespace of its workflow
 * @param attempt    1 for the first run of this task in its execution, then 2, 3, ...
 * @param runnerType the job runner type that runs it
 * @param handle     the runner's persisted job handle (JSON), null until submitted
 * @param message    why the status is what it is (exit code, failure cause, waiting reason)
 */
public record TaskExecution(long id, long workflowExecutionId, String namespace, String workflowName, String taskName, int attempt,
                            String runnerType, TaskStatus status, String handle, String message,
                            Instant createTime, Instant updateTime) {
}
