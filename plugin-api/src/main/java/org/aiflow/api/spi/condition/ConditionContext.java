package org.aiflow.api.spi.condition;

import java.util.Optional;

import org.aiflow.api.execution.TaskStatus;
import org.osgi.annotation.versioning.ProviderType;

/** What a condition may know about the workflow execution whose rule it evaluates; consistent for one evaluation. */
@ProviderType
public interface ConditionContext {

    long workflowExecutionId();

    String workflowNamespace();

    String workflowName();

    /** Status of the newest attempt of a task of this execution; empty if it never ran. */
    Optional<TaskStatus> latestStatus(String taskName);
}
