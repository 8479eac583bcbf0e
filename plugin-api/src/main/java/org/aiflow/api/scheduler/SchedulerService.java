package org.aiflow.api.scheduler;

import java.util.List;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs workflows: keeps their definitions, starts and stops executions, and turns events into task
 * starts and stops through the job runners. Thread-safe. Every method that changes state has
 * committed the change when it returns; one that throws has changed nothing.
 */
@ProviderType
public interface SchedulerService {

    /**
     * Stores a workflow definition: a new workflow, or a new snapshot of an existing one (running
     * executions keep the snapshot they started with). A new workflow is enabled.
     *
     * @throws org.aiflow.api.error.ValidationException naming the task, if a task uses a condition
     *         type that is not installed or a condition config that its type rejects
     */
    Workflow upload(WorkflowDefinition definition);

    /**
     * Parses a workflow file and uploads it as {@link #upload(WorkflowDefinition)} does.
     *
     * @param source   the file's name, used in error messages
     * @param document the file's content (JSON)
     * @throws org.aiflow.api.error.ValidationException saying what is wrong and where
     */
    Workflow upload(String source, String document);

    /** All workflows, by namespace and name. */
    List<Workflow> listWorkflows();

    /** @throws org.aiflow.api.error.NotFoundException if there is no such workflow */
    Workflow workflow(String namespace, String name);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such snapshot */
    WorkflowSnapshot snapshot(long snapshotId);

    /** Enables or disables a workflow; a disabled workflow's executions ignore events. */
    Workflow setEnabled(String namespace, String name, boolean enabled);

    /**
     * Starts an execution of the workflow's current snapshot; tasks without start rules are queued
     * at once.
     *
     * @throws org.aiflow.api.error.ConflictException if the workflow is disabled
     */
    WorkflowExecution startExecution(String namespace, String name);

    /** Stops an execution and every task of it that still runs. Stopping a finished one is a no-op. */
    WorkflowExecution stopExecution(long executionId);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such execution */
    WorkflowExecution execution(long executionId);

    /** Executions, newest first; {@code name} null means all workflows. */
    List<WorkflowExecution> listExecutions(String namespace, String name, int limit);

    /** Task executions matching the query, newest first. */
    List<TaskExecution> listTasks(TaskQuery query);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such task execution */
    TaskExecution task(long taskExecutionId);

    /** Every recorded status change of a task execution, oldest first. */
    List<TaskStatusChange> taskHistory(long taskExecutionId);

    /** Types of the job runners bound right now. */
    List<String> runnerTypes();

    /** Names of the condition types bound right now. */
    List<String> conditionTypes();

    /** Names of the scheduling policies bound right now, in the order they are consulted. */
    List<String> policies();
}
