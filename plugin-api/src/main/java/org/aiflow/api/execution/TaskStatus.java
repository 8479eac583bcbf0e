package org.aiflow.api.execution;

/**
 * Life of a task execution.
 *
 * <pre>
 * QUEUED -> RUNNING -> SUCCESS | FAILED | STOPPED
 * QUEUED | RUNNING -> WAITING (its runner went away) -> QUEUED | RUNNING (runner back, re-attached)
 * RUNNING -> STOPPING -> STOPPED
 * RUNNING -> RETRYING (failed, a policy retries it) -> FAILED once the next attempt is QUEUED
 * </pre>
 */
public enum TaskStatus {
    QUEUED, WAITING, RUNNING, RETRYING, STOPPING, STOPPED, SUCCESS, FAILED;

    /** True for statuses that never change again. */
    public boolean isFinal() {
        return this == SUCCESS || this == FAILED || this == STOPPED;
    }
}
