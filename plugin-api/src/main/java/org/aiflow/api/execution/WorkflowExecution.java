package org.aiflow.api.execution;

import java.time.Instant;

/**
 * One run of a workflow snapshot. {@code endTime} is null while running.
 *
 * @param namespace the namespace of its workflow (workflow names are unique only within one)
 */
public record WorkflowExecution(long id, long workflowId, String namespace, String workflowName, long snapshotId,
                                ExecutionStatus status, Instant startTime, Instant endTime) {
}
