package org.aiflow.api.execution;

import java.time.Instant;

/** One recorded transition of a task execution; {@code from} is null for the first. */
public record TaskStatusChange(long taskExecutionId, TaskStatus from, TaskStatus to, String message, Instant time) {
}
