package org.aiflow.api.execution;

import java.time.Instant;

/** One run of a workflow snapshot. {@code endTime} is null while running. */
public record WorkflowExecution(long id, long workflowId, String workflowName, long snapshotId,
                                ExecutionStatus status, Instant startTime, Instant endTime) {
}
