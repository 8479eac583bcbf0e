package org.aiflow.api.execution;

import java.time.Instant;

import org.aiflow.api.workflow.CatchUp;

/**
 * A schedule of a workflow's current snapshot with its progress.
 *
 * @param expression   the cron expression with its time zone, or {@code every N s}
 * @param task         the task it starts in running executions; null if it starts executions
 * @param nextFireTime when it fires next; null while paused or if it never fires again
 */
public record ScheduleInfo(String workflowNamespace, String workflowName, String name, String expression, String task,
                           CatchUp catchUp, Instant nextFireTime, boolean paused) {
}
