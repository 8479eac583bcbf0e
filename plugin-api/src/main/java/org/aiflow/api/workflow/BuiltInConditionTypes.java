package org.aiflow.api.workflow;

/**
 * The condition types every scheduler has, and their configuration keys and values, as a
 * {@link ConditionSpec} (or a workflow file's {@code condition}) names them. The type names are the
 * {@code ConditionType.TYPE_PROPERTY} of the built-in types; a plugin registered under the same name
 * with a higher service ranking replaces one. {@link Workflows} builds these conditions.
 *
 * <p>Every configuration value is a string unless said otherwise; a key not listed here is refused.
 */
public final class BuiltInConditionTypes {
    /** Type name of the condition on events with matching fields; its keys are in {@link Event}. */
    public static final String EVENT = "event";
    /** Type name of the condition on another task's status; its keys are in {@link Status}. */
    public static final String STATUS = "status";
    /** Type name of the condition that fires once all its children have fired; its keys are in {@link Composite}. */
    public static final String ALL_OF = "all-of";
    /** Type name of the condition that fires when any of its children fires; its keys are in {@link Composite}. */
    public static final String ANY_OF = "any-of";

    private BuiltInConditionTypes() {
    }

    /**
     * Configuration of the {@value BuiltInConditionTypes#EVENT} condition: fires on an event whose
     * {@link #KEY}, {@link #NAMESPACE}, {@link #TYPE}, {@link #SENDER} and {@link #VALUE} match, each
     * exactly or with {@value #ANY} standing for any run of characters.
     */
    public static final class Event {
        /** The event key to match; required ({@value #ANY} matches any key). */
        public static final String KEY = "key";
        /** The event namespace to match; default {@code default} ({@code EventDraft.DEFAULT_NAMESPACE}). */
        public static final String NAMESPACE = "namespace";
        /** The event type to match; default {@value #ANY}. */
        public static final String TYPE = "type";
        /** The event sender to match; default {@value #ANY}. */
        public static final String SENDER = "sender";
        /** The event value to match; default {@value #ANY}. Not looked at with {@link #VALUE_CONDITION} {@link #UPDATED}. */
        public static final String VALUE = "value";
        /** How the value is matched: {@link #EQUALS} (default) or {@link #UPDATED}. */
        public static final String VALUE_CONDITION = "valueCondition";
        /** How often it fires: {@link #REPEATED} (default) or {@link #ONCE}. */
        public static final String LIFE = "life";

        /** In a pattern: any run of characters; alone: anything. */
        public static final String ANY = "*";
        /** {@link #VALUE_CONDITION}: the event's value must match {@link #VALUE}. */
        public static final String EQUALS = "EQUALS";
        /** {@link #VALUE_CONDITION}: any new event of the key fires, whatever its value. */
        public static final String UPDATED = "UPDATED";
        /** {@link #LIFE}: fires every time it matches. */
        public static final String REPEATED = "REPEATED";
        /** {@link #LIFE}: fires at most once per workflow execution (remembered in the rule's persisted state). */
        public static final String ONCE = "ONCE";

        private Event() {
        }
    }

    /**
     * Configuration of the {@value BuiltInConditionTypes#STATUS} condition: fires on the status of
     * another task, as reported by the scheduler's task status events
     * ({@code org.aiflow.api.scheduler.TaskStatusEvents}).
     */
    public static final class Status {
        /** The task's name; required. Without {@link #WORKFLOW}, a task of the same workflow execution. */
        public static final String TASK = "task";
        /** Optional: watch the task in any execution of this workflow instead (of the same namespace unless {@link #NAMESPACE}); not with {@link #LEVEL}. */
        public static final String WORKFLOW = "workflow";
        /** Optional, with {@link #WORKFLOW}: that workflow's namespace. */
        public static final String NAMESPACE = "namespace";
        /** The status it waits for: a {@code TaskStatus} name, or a list of them; default {@code SUCCESS}. */
        public static final String STATUS = "status";
        /** When it fires: {@link #EDGE} (default) or {@link #LEVEL}. */
        public static final String TRIGGER = "trigger";
        /** How often it fires: {@link #REPEATED} (default for {@link #EDGE}) or {@link #ONCE} (default for {@link #LEVEL}). */
        public static final String LIFE = "life";

        /** {@link #TRIGGER}: fires on the event that reports the task entering the status. */
        public static final String EDGE = "EDGE";
        /** {@link #TRIGGER}: fires on any event while the task's newest attempt in this execution is in the status. */
        public static final String LEVEL = "LEVEL";
        /** {@link #LIFE}: fires every time. */
        public static final String REPEATED = "REPEATED";
        /** {@link #LIFE}: fires at most once per workflow execution. */
        public static final String ONCE = "ONCE";

        private Status() {
        }
    }

    /**
     * Configuration of the {@value BuiltInConditionTypes#ALL_OF} and
     * {@value BuiltInConditionTypes#ANY_OF} conditions: {@link #CONDITIONS}, a non-empty list of
     * children, each a map with a {@link #TYPE} and a {@link #CONFIG}, of any installed condition
     * types (composites too).
     */
    public static final class Composite {
        /** The children: a non-empty list of maps, each with {@link #TYPE} and {@link #CONFIG}; the only key. */
        public static final String CONDITIONS = "conditions";
        /** In a child: its condition type's name. */
        public static final String TYPE = "type";
        /** In a child: its configuration, a map (missing means empty). */
        public static final String CONFIG = "config";

        private Composite() {
        }
    }
}
