package org.aiflow.api.scheduler;

import org.aiflow.api.event.Event;

/**
 * The event the scheduler publishes for every status a task execution enters, in the same
 * transaction as the status (so none is lost and none is published for a change that did not
 * happen). Rules react to these events (the built-in {@code status} condition, {@code startAfter});
 * plugins and clients may read or follow them like any other event, e.g.
 * {@code NotificationService.list} with namespace {@value #NAMESPACE} and key
 * {@link #key(String, String)}.
 *
 * <p>Shape: namespace {@value #NAMESPACE}, key {@code <workflow>/<task>} ({@link #key}), value the
 * new status ({@link org.aiflow.api.execution.TaskStatus#name()}), type {@value #TYPE}, sender
 * {@value #SENDER}, and the context keys {@value #CONTEXT_EXECUTION_ID},
 * {@value #CONTEXT_WORKFLOW_NAMESPACE}, {@value #CONTEXT_WORKFLOW_NAME}, {@value #CONTEXT_TASK_NAME},
 * {@value #CONTEXT_TASK_EXECUTION_ID} and {@value #CONTEXT_ATTEMPT}, all always present, and
 * {@value #CONTEXT_RUNNER_TYPE} (present in events published since package version 1.5).
 *
 * <p>The namespace is one of the platform's own ({@code aiflow.*}): only admins may publish into it.
 * Anything else in it, or an event of another sender, is not the scheduler's (see
 * {@link #isTaskStatusEvent}).
 */
public final class TaskStatusEvents {
    /** Namespace of task status events. */
    public static final String NAMESPACE = "aiflow.tasks";
    /** Event type of task status events. */
    public static final String TYPE = "TASK_STATUS_CHANGED";
    /** Sender of the scheduler's events (task status changes and schedule fires). */
    public static final String SENDER = "aiflow-scheduler";
    /**
     * Context key: the workflow execution's id, as a decimal string. Deliberately not
     * {@link Event#WORKFLOW_EXECUTION_ID}: that would confine the event to its own execution, and
     * rules of other workflows may react to it too.
     */
    public static final String CONTEXT_EXECUTION_ID = "executionId";
    /** Context key: the namespace of the task's workflow. */
    public static final String CONTEXT_WORKFLOW_NAMESPACE = "workflowNamespace";
    /** Context key: the name of the task's workflow. */
    public static final String CONTEXT_WORKFLOW_NAME = "workflowName";
    /** Context key: the task's name within its workflow. */
    public static final String CONTEXT_TASK_NAME = "taskName";
    /** Context key: the task execution's id, as a decimal string. */
    public static final String CONTEXT_TASK_EXECUTION_ID = "taskExecutionId";
    /** Context key: the task execution's attempt, as a decimal string (1 for the first, one more per retry). */
    public static final String CONTEXT_ATTEMPT = "attempt";
    /** Context key: the type of the job runner that runs the task (its jobs' durations are told apart by it). */
    public static final String CONTEXT_RUNNER_TYPE = "runnerType";

    private TaskStatusEvents() {
    }

    /** The key of the status events of a task: {@code <workflowName>/<taskName>}. */
    public static String key(String workflowName, String taskName) {
        return workflowName + "/" + taskName;
    }

    /** Whether the event is a task status event of the scheduler: namespace, type and sender all match. */
    public static boolean isTaskStatusEvent(Event event) {
        return NAMESPACE.equals(event.namespace()) && TYPE.equals(event.type()) && SENDER.equals(event.sender());
    }
}
