package org.aiflow.api.spi.policy;

import org.osgi.annotation.versioning.ProviderType;

/** Read-only facts a policy may base its verdict on, consistent for one review. */
@ProviderType
public interface SchedulingView {
    /** Task executions of this task (all executions of the workflow) that are RUNNING or STOPPING. */
    int runningTasks(String workflowName, String taskName);

    /** Executions of this workflow that are RUNNING. */
    int runningExecutions(String workflowName);
}
