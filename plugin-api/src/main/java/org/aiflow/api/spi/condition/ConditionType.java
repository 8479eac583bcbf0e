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
 *
 * <p><b>Threads.</b> {@link #mayReact} and {@code evaluate} are called on the scheduler's worker
 * thread ({@code aiflow-scheduler}); {@code validate} is called on the thread of the upload (a REST
 * or console request, so possibly several at once and concurrently with the worker) and again on the
 * worker. Keep the component stateless (immutable fields only) and it is thread-safe.
 *
 * <p><b>Idempotency.</b> For the same configuration, event and state, {@code evaluate} returns the
 * same result: no I/O, no clock, no random numbers, no fields that change. The same event may be
 * evaluated more than once (again after a crash, from the state as stored before it), and only the
 * stored outcome counts. {@code validate} and {@code mayReact} have no side effects either. An
 * exception from {@code evaluate} counts as "did not fire" for that event (logged).
 *
 * <p><b>State.</b> A condition keeps no state of its own: what it must remember between events
 * goes into the {@link ConditionResult#state()} it returns (a string map), which the scheduler
 * persists in the same transaction as the decision and the consumed-event cursor, per rule and
 * workflow execution (per trigger and workflow for triggers; under its index for a child of a
 * composite), and hands back with the next event. It survives restarts and moves with the leader.
 *
 * <p><b>Re-attach.</b> There is nothing to re-attach: any instance, after a restart or on another
 * node, evaluates from the stored state. While no service of a type that an enabled workflow uses is
 * registered (its bundle is being updated, say), scheduling waits at the first event that reaches
 * one of its rules, and goes on from that event once a service of the type is back (or the workflow
 * is disabled): no event is decided without the rule. A workflow that uses a type that is not
 * installed is refused at upload.
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
