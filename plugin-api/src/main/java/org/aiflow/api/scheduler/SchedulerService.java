package org.aiflow.api.scheduler;

import java.util.List;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
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

    /**
     * Reads a workflow file exactly as {@link #upload(String, String)} does, without storing
     * anything: to decide who may upload it (its namespace) before it is uploaded.
     *
     * @throws org.aiflow.api.error.ValidationException saying what is wrong and where
     * @throws UnsupportedOperationException where files can only be read by the platform itself
     *         (a remote client)
     * @since 1.1
     */
    default WorkflowDefinition readWorkflow(String source, String document) {
        throw new UnsupportedOperationException("this scheduler cannot read workflow files without uploading them");
    }

    /** All workflows, by namespace and name. */
    List<Workflow> listWorkflows();

    /** @throws org.aiflow.api.error.NotFoundException if there is no such workflow */
    Workflow workflow(String namespace, String name);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such snapshot */
    WorkflowSnapshot snapshot(long snapshotId);

    /** Largest page of {@link #snapshots(String, String, Long, int)}. */
    int MAX_SNAPSHOT_PAGE = 1000;

    /**
     * The workflow's snapshot history, newest first, without the definitions (read one with
     * {@link #snapshot(long)}). Page on with the last id of a full page as {@code beforeId}.
     *
     * @param beforeId only snapshots older than this one (a smaller id); null starts at the newest
     * @param limit    1 to {@value #MAX_SNAPSHOT_PAGE}
     * @throws org.aiflow.api.error.NotFoundException if there is no such workflow
     * @throws org.aiflow.api.error.ValidationException if {@code limit} is out of range
     * @since 1.2
     */
    List<SnapshotInfo> snapshots(String namespace, String name, Long beforeId, int limit);

    /**
     * The newest {@code limit} snapshots of the workflow, as {@link #snapshots(String, String, Long, int)}
     * with no {@code beforeId}.
     *
     * @since 1.2
     */
    default List<SnapshotInfo> snapshots(String namespace, String name, int limit) {
        return snapshots(namespace, name, null, limit);
    }

    /**
     * Deletes a workflow. Its snapshots and past executions stay readable; uploading the name again
     * creates a new workflow.
     *
     * @throws org.aiflow.api.error.ConflictException while it has a RUNNING execution: stop it first
     */
    void deleteWorkflow(String namespace, String name);

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

    /**
     * Executions with an id below {@code beforeId} (null: from the newest), newest first: the next page
     * after a page whose last id was {@code beforeId}, so that a list walks every execution.
     * Implementations of before 1.5 page only from the newest.
     */
    default List<WorkflowExecution> listExecutions(String namespace, String name, Long beforeId, int limit) {
        if (beforeId == null) {
            return listExecutions(namespace, name, limit);
        }
        throw new UnsupportedOperationException("this scheduler cannot page executions by id");
    }

    /** Task executions matching the query, newest first. */
    List<TaskExecution> listTasks(TaskQuery query);

    /** @throws org.aiflow.api.error.NotFoundException if there is no such task execution */
    TaskExecution task(long taskExecutionId);

    /**
     * Starts a task of a running execution by hand (a new attempt, QUEUED), as a START rule would.
     *
     * @throws org.aiflow.api.error.ConflictException if the execution has ended or the task is queued or running
     * @throws org.aiflow.api.error.NotFoundException if the execution or its snapshot has no such task
     */
    TaskExecution startTask(long executionId, String taskName);

    /** Stops a task execution (stream tasks: with a savepoint); stopping an ended one is a no-op. */
    TaskExecution stopTask(long taskExecutionId);

    /** Stops the task's running attempt, if any, and queues a new one, as a RESTART rule would. */
    TaskExecution restartTask(long executionId, String taskName);

    /** Names of the log files of a task execution (e.g. {@code stdout.log}, {@code stderr.log}). */
    List<String> taskLogFiles(long taskExecutionId);

    /**
     * Reads part of a task execution's log file.
     *
     * @param offset   byte offset to start at; negative counts from the end ({@code -4096}: the last 4 KiB)
     * @param maxBytes at most this many bytes (1 to 1 MiB)
     * @throws org.aiflow.api.error.NotFoundException if there is no such task execution or file
     */
    TaskLog taskLog(long taskExecutionId, String file, long offset, int maxBytes);

    /** Every recorded status change of a task execution, oldest first. */
    List<TaskStatusChange> taskHistory(long taskExecutionId);

    /** The schedules of a workflow's current snapshot, with their next fire times. */
    List<ScheduleInfo> schedules(String namespace, String workflowName);

    /**
     * Pauses or resumes a schedule. A resumed schedule fires next at its first time after now:
     * times that passed while it was paused are not caught up.
     *
     * @throws org.aiflow.api.error.NotFoundException if the workflow has no such schedule
     */
    ScheduleInfo pauseSchedule(String namespace, String workflowName, String scheduleName, boolean paused);

    /** Types of the job runners bound right now. */
    List<String> runnerTypes();

    /** Names of the condition types bound right now. */
    List<String> conditionTypes();

    /** Names of the scheduling policies bound right now, in the order they are consulted. */
    List<String> policies();
}
