package org.aiflow.api.spi.storage;

import java.util.List;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;

/**
 * Everything the scheduler decided on one event, stored in one transaction together with the
 * consumer's cursor: that is what makes each decision happen exactly once across crashes.
 *
 * @param cursor         the version of the event decided on (the new cursor)
 * @param executions     workflow executions to start (by triggers and schedules)
 * @param tasks          task executions to queue in running executions
 * @param ruleStates     changed rule states
 * @param transitions    status changes of existing task executions (e.g. to STOPPING for a STOP rule),
 *                       each applied only if the task is still in its expected status
 * @param executionsToStop executions to end STOPPED
 */
public record Decision(long cursor, List<NewExecution> executions, List<NewTaskExecution> tasks, List<RuleState> ruleStates,
                       List<Transition> transitions, List<Long> executionsToStop) {
    public Decision {
        executions = executions == null ? List.of() : List.copyOf(executions);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        ruleStates = ruleStates == null ? List.of() : List.copyOf(ruleStates);
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
        executionsToStop = executionsToStop == null ? List.of() : List.copyOf(executionsToStop);
    }

    /** A workflow execution to start, with the task executions to queue in it at once (their execution id is ignored). */
    public record NewExecution(long workflowId, long snapshotId, List<NewTaskExecution> initialTasks) {
        public NewExecution {
            initialTasks = initialTasks == null ? List.of() : List.copyOf(initialTasks);
        }
    }

    /**
     * A compare-and-set status change of a task execution.
     *
     * @param handle  the job handle to store with the change (a runner's JSON handle), or {@code null} to keep the stored one
     * @param current the task execution as the caller knows it in the expected status, or {@code null}: the store
     *                may build the changed execution from it instead of reading the row again (only its status,
     *                handle, message and update time change), so it must be what is stored
     */
    public record Transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message, String handle,
                             TaskExecution current) {
        public Transition {
            if (current != null && (current.id() != taskExecutionId || current.status() != expected)) {
                throw new IllegalArgumentException("the current task execution " + current.id() + " (" + current.status()
                        + ") is not task execution " + taskExecutionId + " in status " + expected);
            }
        }

        /** A change of a task execution the caller does not hold. */
        public Transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message, String handle) {
            this(taskExecutionId, expected, to, message, handle, null);
        }

        /** A change that keeps the stored handle. */
        public Transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message) {
            this(taskExecutionId, expected, to, message, null, null);
        }

        /** A change of {@code current} from its status to {@code to}, keeping its handle. */
        public static Transition of(TaskExecution current, TaskStatus to, String message) {
            return of(current, to, message, null);
        }

        /** A change of {@code current} from its status to {@code to}, storing {@code handle} if not null. */
        public static Transition of(TaskExecution current, TaskStatus to, String message, String handle) {
            return new Transition(current.id(), current.status(), to, message, handle, current);
        }
    }
}
