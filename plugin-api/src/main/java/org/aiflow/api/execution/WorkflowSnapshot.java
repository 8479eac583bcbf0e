package org.aiflow.api.execution;

import java.time.Instant;

import org.aiflow.api.workflow.WorkflowDefinition;

/** One uploaded version of a workflow's definition; never changes once stored. */
public record WorkflowSnapshot(long id, long workflowId, WorkflowDefinition definition, Instant createTime) {
}
