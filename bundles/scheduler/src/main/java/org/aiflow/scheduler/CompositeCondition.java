package org.aiflow.scheduler;

import static org.aiflow.api.workflow.BuiltInConditionTypes.Composite.CONDITIONS;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Composite.CONFIG;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Composite.TYPE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * The built-in {@code all-of} and {@code any-of} conditions over child conditions.
 *
 * <p>Configuration: {@code conditions}, a non-empty list of {@code {"type": ..., "config": {...}}}
 * of any installed types (also nested composites). {@code any-of} fires on an event that fires any
 * child. {@code all-of} remembers which children have fired (in the rule's persisted state, so it
 * survives restarts) and fires on the event that completes the set, then starts counting again.
 * Each child keeps its own state, stored under its index. The keys are
 * {@link BuiltInConditionTypes.Composite}'s. Children are looked up at every call, so that a plugin
 * replacing a built-in type replaces it inside composites too.
 */
abstract class CompositeCondition implements ConditionType {
    private final boolean all;
    private final ConditionTypes types;

    CompositeCondition(boolean all, ConditionTypes types) {
        this.all = all;
        this.types = types;
    }

    /**
     * The children of an {@code all-of} or {@code any-of} condition as specs; empty if the condition
     * is of another type or malformed. For reading stored definitions, which were validated at upload.
     */
    static Optional<List<ConditionSpec>> childSpecs(ConditionSpec condition) {
        if (!BuiltInConditionTypes.ALL_OF.equals(condition.type()) && !BuiltInConditionTypes.ANY_OF.equals(condition.type())
                || !(condition.config().get(CONDITIONS) instanceof List<?> list)) {
            return Optional.empty();
        }
        List<ConditionSpec> specs = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> child) || !(child.get(TYPE) instanceof String type)) {
                return Optional.empty();
            }
            Object config = child.get(CONFIG) == null ? Map.of() : child.get(CONFIG);
            if (!(config instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            try {
                specs.add(new ConditionSpec(type, cast(map)));
            } catch (ValidationException e) {
                return Optional.empty();
            }
        }
        return Optional.of(specs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private String name() {
        return all ? BuiltInConditionTypes.ALL_OF : BuiltInConditionTypes.ANY_OF;
    }

    @Override
    public void validate(Map<String, Object> config) {
        children(config).forEach(c -> c.type().validate(c.config()));
    }

    @Override
    public void validate(Map<String, Object> config, WorkflowDefinition workflow) {
        children(config).forEach(c -> c.type().validate(c.config(), workflow));
    }

    private record Child(ConditionType type, Map<String, Object> config) {
    }

    @SuppressWarnings("unchecked")
    private List<Child> children(Map<String, Object> config) {
        for (String field : config.keySet()) {
            if (!field.equals(CONDITIONS)) {
                throw new ValidationException(name() + " condition has unknown field '" + field + "' (allowed: [conditions])");
            }
        }
        if (!(config.get(CONDITIONS) instanceof List<?> list) || list.isEmpty()) {
            throw new ValidationException(name() + " condition needs a non-empty list 'conditions'");
        }
        return list.stream().map(item -> {
            if (!(item instanceof Map<?, ?> child) || !(child.get(TYPE) instanceof String type)) {
                throw new ValidationException(name() + " condition: each of 'conditions' needs a 'type' and a 'config'");
            }
            Object childConfig = child.get(CONFIG) == null ? Map.of() : child.get(CONFIG);
            if (!(childConfig instanceof Map<?, ?>)) {
                throw new ValidationException(name() + " condition: the 'config' of a '" + type + "' child must be an object");
            }
            ConditionType t = types.get(type).orElseThrow(() -> new ValidationException(name() + " condition: condition type '"
                    + type + "' is not installed (installed: " + types.names() + ")"));
            return new Child(t, (Map<String, Object>) childConfig);
        }).toList();
    }

    @Override
    public boolean mayReact(Map<String, Object> config, Event event) {
        return children(config).stream().anyMatch(c -> c.type().mayReact(c.config(), event));
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state, ConditionContext context) {
        List<Child> children = children(config);
        Map<String, String> next = new HashMap<>();
        boolean any = false;
        boolean every = true;
        for (int i = 0; i < children.size(); i++) {
            String prefix = i + ".";
            Map<String, String> own = new HashMap<>();
            state.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    own.put(k.substring(prefix.length()), v);
                }
            });
            ConditionResult r = children.get(i).type().evaluate(children.get(i).config(), event, own, context);
            r.state().forEach((k, v) -> next.put(prefix + k, v));
            boolean satisfied = r.fired() || state.containsKey(i + "!");
            any |= r.fired();
            every &= satisfied;
            if (all && satisfied) {
                next.put(i + "!", "1");
            }
        }
        boolean fired = all ? every : any;
        if (all && fired) {
            // the set is complete: count again from nothing. Only this level's marks go: a child's
            // state (a nested all-of's marks, any key ending in '!') is the child's to keep
            for (int i = 0; i < children.size(); i++) {
                next.remove(i + "!");
            }
        }
        return new ConditionResult(fired, next);
    }
}
