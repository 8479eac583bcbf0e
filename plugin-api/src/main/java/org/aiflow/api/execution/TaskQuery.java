package org.aiflow.api.execution;

import org.aiflow.api.error.ValidationException;

/**
 * Filters for listing task executions, newest first. Null means "any".
 *
 * @param namespace    the namespace of the tasks' workflow (a workflow name alone may exist in several)
 * @param beforeId     only task executions with a smaller id (the next page of a list newest first); null for none
 * @param limit 1-10000
 */
public record TaskQuery(String namespace, String workflowName, Long workflowExecutionId, TaskStatus status, Long beforeId, int limit) {
    public TaskQuery {
        if (limit < 1 || limit > 10_000) {
            throw new ValidationException("limit must be between 1 and 10000");
        }
    }

    /** From the newest. */
    public TaskQuery(String namespace, String workflowName, Long workflowExecutionId, TaskStatus status, int limit) {
        this(namespace, workflowName, workflowExecutionId, status, null, limit);
    }

    /** The same filters, older than {@code id}: the next page. */
    public TaskQuery before(Long id) {
        return new TaskQuery(namespace, workflowName, workflowExecutionId, status, id, limit);
    }

    /** In any namespace. */
    public TaskQuery(String workflowName, Long workflowExecutionId, TaskStatus status, int limit) {
        this(null, workflowName, workflowExecutionId, status, limit);
    }

    public static TaskQuery latest(int limit) {
        return new TaskQuery(null, null, null, null, limit);
    }
}
