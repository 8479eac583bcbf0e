package org.aiflow.api.spi.condition;

import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named condition evaluator. Register as an OSGi service with {@value #TYPE_PROPERTY}; rules
 * name it in their {@code ConditionSpec}. Must be thread-safe, deterministic and side-effect
 * free: the scheduler persists the returned state in the same transaction as the decision, and
 * after a crash may evaluate the same event again from the previously persisted state.
 */
@ConsumerType
public interface ConditionType {

    /** Service property with the type's name, e.g. {@code event}. */
    String TYPE_PROPERTY = "aiflow.condition.type";

    /**
     * Checks a rule's configuration at upload time.
     *
     * @throws org.aiflow.api.error.ValidationException with a message naming the bad field
     */
    void validate(Map<String, Object> config);

    /**
     * Checks a rule's configuration against the workflow it is part of (e.g. that a task it names
     * exists). The default checks the configuration alone.
     */
    default void validate(Map<String, Object> config, WorkflowDefinition workflow) {
        validate(config);
    }

    /**
     * A cheap, state-free pre-check: may this condition fire on, or change its state for, this
     * event? The scheduler skips loading an execution's rule states and tasks when no rule of it may
     * react, which is what keeps event processing fast with many workflows. Answering false when
     * {@code evaluate} would fire or change state is a bug; the default, true, is always safe.
     */
    default boolean mayReact(Map<String, Object> config, Event event) {
        return true;
    }

    /**
     * Evaluates the condition for one event. Implement this or
     * {@link #evaluate(Map, Event, Map, ConditionContext)}.
     *
     * @param config the rule's validated configuration
     * @param event  the event being processed
     * @param state  the rule's persisted state for this workflow execution (empty at first)
     */
    default ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither evaluate method");
    }

    /** Evaluates the condition for one event, knowing the execution; the default ignores the context. */
    default ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state, ConditionContext context) {
        return evaluate(config, event, state);
    }
}
