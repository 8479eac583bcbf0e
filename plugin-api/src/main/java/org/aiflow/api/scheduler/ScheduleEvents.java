package org.aiflow.api.scheduler;

import org.aiflow.api.event.Event;

/**
 * The event the scheduler publishes for each fire time of a workflow's schedule; the scheduler then
 * acts on it like on any other event (it starts the execution, or the schedule's task), so a fire
 * time is recorded before anything starts and is not acted on twice.
 *
 * <p>Shape: namespace {@value #NAMESPACE}, key {@code <workflow>/<schedule>} ({@link #key}), value
 * the fire time as an ISO-8601 instant ({@link java.time.Instant#toString()}, e.g.
 * {@code 2026-11-29T02:00:00Z}), type {@value #TYPE}, sender {@value #SENDER}, and the context keys
 * {@value #CONTEXT_WORKFLOW_ID}, {@value #CONTEXT_SCHEDULE} and {@value #CONTEXT_WORKFLOW_NAMESPACE},
 * all always present.
 */
public final class ScheduleEvents {
    /** Namespace of schedule fire events. */
    public static final String NAMESPACE = "aiflow.schedules";
    /** Event type of schedule fire events. */
    public static final String TYPE = "SCHEDULE_FIRED";
    /** Sender of the scheduler's events; the same as {@link TaskStatusEvents#SENDER}. */
    public static final String SENDER = TaskStatusEvents.SENDER;
    /** Context key: the id of the workflow whose schedule fired, as a decimal string. */
    public static final String CONTEXT_WORKFLOW_ID = "workflowId";
    /** Context key: the schedule's name within its workflow. */
    public static final String CONTEXT_SCHEDULE = "schedule";
    /** Context key: the namespace of the workflow. */
    public static final String CONTEXT_WORKFLOW_NAMESPACE = TaskStatusEvents.CONTEXT_WORKFLOW_NAMESPACE;

    private ScheduleEvents() {
    }

    /** The key of the fire events of a schedule: {@code <workflowName>/<scheduleName>}. */
    public static String key(String workflowName, String scheduleName) {
        return workflowName + "/" + scheduleName;
    }

    /** Whether the event is a schedule fire event of the scheduler: namespace, type and sender all match. */
    public static boolean isScheduleEvent(Event event) {
        return NAMESPACE.equals(event.namespace()) && TYPE.equals(event.type()) && SENDER.equals(event.sender());
    }
}
