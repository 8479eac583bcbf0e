package org.aiflow.scheduler;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.scheduler.ScheduleEvents;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * Which events the rules of a workflow snapshot can react to, computed once per snapshot so that
 * an event is matched against thousands of executions by one hash lookup each. The built-in
 * conditions name exact namespaces and keys; a wildcard, a LEVEL status condition or a plugin's
 * condition type makes the snapshot interested in every event (its rules are then pre-checked with
 * {@code mayReact}). So does a built-in type's name while a plugin replaces the built-in: only the
 * plugin knows what its configuration means.
 */
final class EventInterest {
    private final boolean everything;
    private final Set<String> keys;

    private EventInterest(boolean everything, Set<String> keys) {
        this.everything = everything;
        this.keys = Set.copyOf(keys);
    }

    /** The events the task rules of the snapshot may react to. */
    static EventInterest ofTasks(WorkflowDefinition def) {
        return ofTasks(def, type -> true);
    }

    /** @param builtInDecides whether the built-in type of this name decides (no plugin replaces it) */
    static EventInterest ofTasks(WorkflowDefinition def, Predicate<String> builtInDecides) {
        Builder b = new Builder(def, builtInDecides);
        for (TaskDefinition t : def.tasks()) {
            t.effectiveRules().forEach(r -> b.add(r.condition()));
        }
        return b.build();
    }

    /** The events the workflow-level triggers and schedules of the snapshot may react to. */
    static EventInterest ofWorkflow(WorkflowDefinition def) {
        return ofWorkflow(def, type -> true);
    }

    /** @param builtInDecides whether the built-in type of this name decides (no plugin replaces it) */
    static EventInterest ofWorkflow(WorkflowDefinition def, Predicate<String> builtInDecides) {
        Builder b = new Builder(def, builtInDecides);
        def.triggers().forEach(t -> b.add(t.condition()));
        for (Schedule s : def.schedules()) {
            b.keys.add(key(ScheduleEvents.NAMESPACE, ScheduleEvents.key(def.name(), s.name())));
        }
        return b.build();
    }

    /** Interested in every event (its rules are pre-checked with {@code mayReact} instead). */
    boolean everything() {
        return everything;
    }

    /** The exact event keys ({@link #keyOf}) it is interested in, unless {@link #everything()}. */
    Set<String> keys() {
        return keys;
    }

    boolean isEmpty() {
        return !everything && keys.isEmpty();
    }

    /** @param eventKey the event's {@link #keyOf} */
    boolean mayReactTo(String eventKey) {
        return everything || keys.contains(eventKey);
    }

    /** An event's lookup key, computed once per event. */
    static String keyOf(Event e) {
        return key(e.namespace(), e.key());
    }

    private static String key(String namespace, String key) {
        return namespace + '\u0000' + key;
    }

    private static final class Builder {
        private final WorkflowDefinition def;
        private final Predicate<String> builtInDecides;
        private final Set<String> keys = new HashSet<>();
        private boolean everything;

        Builder(WorkflowDefinition def, Predicate<String> builtInDecides) {
            this.def = def;
            this.builtInDecides = builtInDecides;
        }

        void add(ConditionSpec c) {
            Map<String, Object> config = c.config();
            if (!builtInDecides.test(c.type())) {
                everything = true; // a plugin's condition type: only it knows
                return;
            }
            switch (c.type()) {
                case BuiltInConditionTypes.EVENT -> {
                    Object namespace = config.getOrDefault(BuiltInConditionTypes.Event.NAMESPACE, EventDraft.DEFAULT_NAMESPACE);
                    Object key = config.get(BuiltInConditionTypes.Event.KEY);
                    if (namespace instanceof String ns && key instanceof String k && ns.indexOf('*') < 0 && k.indexOf('*') < 0) {
                        keys.add(key(ns, k));
                    } else {
                        everything = true;
                    }
                }
                case BuiltInConditionTypes.STATUS -> {
                    if (BuiltInConditionTypes.Status.LEVEL.equals(config.get(BuiltInConditionTypes.Status.TRIGGER))) {
                        everything = true;
                    } else {
                        Object workflow = config.getOrDefault(BuiltInConditionTypes.Status.WORKFLOW, def.name());
                        keys.add(key(TaskStatusEvents.NAMESPACE,
                                TaskStatusEvents.key(String.valueOf(workflow), String.valueOf(config.get(BuiltInConditionTypes.Status.TASK)))));
                    }
                }
                case BuiltInConditionTypes.ALL_OF, BuiltInConditionTypes.ANY_OF ->
                        CompositeCondition.childSpecs(c).ifPresentOrElse(children -> children.forEach(this::add), () -> everything = true);
                default -> everything = true; // a plugin's condition type: only it knows
            }
        }

        EventInterest build() {
            return new EventInterest(everything, keys);
        }
    }
}
