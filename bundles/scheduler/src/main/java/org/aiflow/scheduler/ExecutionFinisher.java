package org.aiflow.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * Ends the running workflow executions that can make no more progress, as SUCCESS, FAILED or
 * STOPPED from the newest attempt of each of their tasks (see "Execution statuses" in the user
 * guide), and records the end.
 *
 * <p>Not thread-safe: every method runs on the scheduler's worker thread, which owns the cache kept
 * here.
 */
final class ExecutionFinisher {

    /** What the finisher needs from the scheduler around it. */
    interface Host {
        /**
         * True while a task status change is stored that the scheduler has not yet decided on: it
         * may start a task, so no execution is ended.
         */
        boolean statusChangesUndecided();

        /** The running executions (the worker's cached copy). */
        List<WorkflowExecution> running();

        /** The definition of a workflow snapshot. */
        WorkflowDefinition definition(long snapshotId);

        /** The newest attempt of each task of an execution that has one, by task name. */
        Map<String, TaskExecution> latestTasks(long executionId);

        /** Stores that an execution ended with the status (and drops the cached running executions). */
        void finish(long executionId, ExecutionStatus status);
    }

    private final Host host;
    /** Whether a snapshot has a task something outside its execution can start, by snapshot id. */
    private final Map<Long, Boolean> startableFromOutside = new HashMap<>();

    ExecutionFinisher(Host host) {
        this.host = host;
    }

    /**
     * Ends executions that can make no more progress: no task is active, and none can start again
     * except through a status change the scheduler has not yet decided on. A task with a rule on
     * anything but this execution's own task statuses may start at any time, so its execution runs
     * until stopped. Tasks waiting on upstream statuses that never came are skipped.
     */
    void finishExecutions() {
        if (host.statusChangesUndecided()) {
            return; // a status change still to be decided on may start a task
        }
        for (WorkflowExecution x : host.running()) {
            WorkflowDefinition def = host.definition(x.snapshotId());
            if (startableFromOutside.computeIfAbsent(x.snapshotId(), id -> def.tasks().stream().anyMatch(ExecutionRules::startableFromOutside))) {
                continue;
            }
            Map<String, TaskExecution> latest = host.latestTasks(x.id());
            if (latest.values().stream().anyMatch(t -> !t.status().isFinal())) {
                continue;
            }
            if (def.tasks().stream().anyMatch(t -> t.startsWithExecution() && !latest.containsKey(t.name()))) {
                continue; // being started right now
            }
            host.finish(x.id(), outcome(latest));
        }
    }

    /** The status an execution ends with, from the newest (final) attempt of each task that ran. */
    static ExecutionStatus outcome(Map<String, TaskExecution> latest) {
        return latest.values().stream().anyMatch(t -> t.status() == TaskStatus.FAILED) ? ExecutionStatus.FAILED
                : latest.values().stream().anyMatch(t -> t.status() == TaskStatus.STOPPED) ? ExecutionStatus.STOPPED
                : ExecutionStatus.SUCCESS;
    }
}
