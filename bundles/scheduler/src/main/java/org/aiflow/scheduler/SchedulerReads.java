package org.aiflow.scheduler;

import java.nio.file.Path;
import java.util.List;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.spi.storage.SchedulerStore;

/**
 * The reads of the {@link SchedulerService} API: they go to the store (on any node, leading or not)
 * and answer {@link NotFoundException} for what is not there; task logs are read from the task's log
 * directory.
 */
final class SchedulerReads {
    private final SchedulerStore store;
    private final Path logRoot;

    SchedulerReads(SchedulerStore store, Path logRoot) {
        this.store = store;
        this.logRoot = logRoot;
    }

    List<Workflow> listWorkflows() {
        return store.listWorkflows();
    }

    Workflow workflow(String namespace, String name) {
        return store.findWorkflow(namespace, name).orElseThrow(() -> new NotFoundException("workflow", namespace + "/" + name));
    }

    WorkflowSnapshot snapshot(long snapshotId) {
        return store.findSnapshot(snapshotId).orElseThrow(() -> new NotFoundException("workflow snapshot", snapshotId));
    }

    List<SnapshotInfo> snapshots(String namespace, String name, Long beforeId, int limit) {
        if (limit < 1 || limit > SchedulerService.MAX_SNAPSHOT_PAGE) {
            throw new ValidationException("limit must be between 1 and " + SchedulerService.MAX_SNAPSHOT_PAGE + ", got " + limit);
        }
        return store.listSnapshots(workflow(namespace, name).id(), beforeId, limit);
    }

    WorkflowExecution execution(long executionId) {
        return store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId));
    }

    List<WorkflowExecution> listExecutions(String namespace, String name, Long beforeId, int limit) {
        Long workflowId = name == null ? null : workflow(namespace, name).id();
        return store.listExecutions(null, workflowId, beforeId, limit);
    }

    List<TaskExecution> listTasks(TaskQuery query) {
        return store.listTasks(query);
    }

    TaskExecution task(long taskExecutionId) {
        return store.findTask(taskExecutionId).orElseThrow(() -> new NotFoundException("task execution", taskExecutionId));
    }

    List<String> taskLogFiles(long taskExecutionId) {
        task(taskExecutionId);
        return TaskLogs.files(logDirectory(taskExecutionId));
    }

    TaskLog taskLog(long taskExecutionId, String file, long offset, int maxBytes) {
        task(taskExecutionId);
        return TaskLogs.read(taskExecutionId, logDirectory(taskExecutionId), file, offset, maxBytes);
    }

    List<TaskStatusChange> taskHistory(long taskExecutionId) {
        task(taskExecutionId);
        return store.history(taskExecutionId);
    }

    /** Where the logs of a task execution live. */
    Path logDirectory(long taskExecutionId) {
        return logRoot.resolve("task-" + taskExecutionId);
    }
}
