package org.aiflow.api.event;

import java.time.Instant;
import java.util.Map;

/**
 * A stored event. Immutable snapshot of one row of the event log.
 *
 * @param version    position in the log: strictly increasing, gap-safe (a reader that has seen
 *                   {@code v} never later finds a committed event below {@code v})
 * @param namespace  the namespace the event belongs to
 * @param key        what the event is about (e.g. a model name)
 * @param value      the payload, may be empty, never null
 * @param type       what happened (e.g. {@code MODEL_DEPLOYED})
 * @param sender     who published it, may be empty
 * @param context    free-form string map; {@code workflowExecutionId} scopes an event to one execution
 * @param createTime commit time assigned by the service
 * @param principal  who published it, as authenticated (empty for the platform itself); unlike
 *                   {@code sender} a publisher cannot choose it
 */
public record Event(long version, String namespace, String key, String value, String type, String sender,
                    Map<String, String> context, Instant createTime, String principal) {

    /** Context key that scopes an event to one workflow execution. */
    public static final String WORKFLOW_EXECUTION_ID = "workflowExecutionId";

    public Event {
        context = context == null ? Map.of() : Map.copyOf(context);
        principal = principal == null ? "" : principal;
    }

    /** An event without a recorded principal (the 1.0 signature). */
    public Event(long version, String namespace, String key, String value, String type, String sender,
                 Map<String, String> context, Instant createTime) {
        this(version, namespace, key, value, type, sender, context, createTime, "");
    }
}
