package org.aiflow.api.spi.storage;

import java.util.List;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.WorkflowExecution;

/**
 * What storing a {@link Decision} produced.
 *
 * @param executions  the started executions, in order
 * @param queued      the queued task executions (initial tasks of new executions first), in order
 * @param transitioned the task executions whose transition applied, as they are now
 */
public record DecisionOutcome(List<WorkflowExecution> executions, List<TaskExecution> queued, List<TaskExecution> transitioned) {
}
