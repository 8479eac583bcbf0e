package org.aiflow.api.execution;

/** Life of a workflow execution. */
public enum ExecutionStatus {
    RUNNING, SUCCESS, FAILED, STOPPED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
