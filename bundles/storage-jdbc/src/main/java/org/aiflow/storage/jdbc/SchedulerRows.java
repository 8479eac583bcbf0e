package org.aiflow.storage.jdbc;

import java.time.Instant;

import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.storage.jdbc.mapper.Rows.ExecutionRow;
import org.aiflow.storage.jdbc.mapper.Rows.StatusChangeRow;
import org.aiflow.storage.jdbc.mapper.Rows.TaskRow;
import org.aiflow.storage.jdbc.mapper.Rows.WorkflowRow;

/** The scheduler store's rows as API records, and the rows it writes for the task history. */
final class SchedulerRows {
    private SchedulerRows() {
    }

    static StatusChangeRow change(long taskId, TaskStatus from, TaskStatus to, String message, long time) {
        StatusChangeRow row = new StatusChangeRow();
        row.taskExecutionId = taskId;
        row.fromStatus = from == null ? null : from.name();
        row.toStatus = to.name();
        row.message = message;
        row.changeTime = time;
        return row;
    }

    static String clip(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MyBatisSchedulerStore.MAX_MESSAGE ? message : message.substring(0, MyBatisSchedulerStore.MAX_MESSAGE - 3) + "...";
    }

    static Workflow toWorkflow(WorkflowRow r) {
        return new Workflow(r.id, r.namespace, r.name, r.enabled, r.snapshotId, Instant.ofEpochMilli(r.createTime),
                Instant.ofEpochMilli(r.updateTime));
    }

    static WorkflowExecution toExecution(ExecutionRow r) {
        return new WorkflowExecution(r.id, r.workflowId, r.namespace, r.workflowName, r.snapshotId, ExecutionStatus.valueOf(r.status),
                Instant.ofEpochMilli(r.startTime), r.endTime == null ? null : Instant.ofEpochMilli(r.endTime));
    }

    static TaskExecution toTask(TaskRow r) {
        return new TaskExecution(r.id, r.workflowExecutionId, r.namespace, r.workflowName, r.taskName, r.attempt, r.runnerType,
                TaskStatus.valueOf(r.status), r.handleJson, r.message, Instant.ofEpochMilli(r.createTime),
                Instant.ofEpochMilli(r.updateTime));
    }
}
