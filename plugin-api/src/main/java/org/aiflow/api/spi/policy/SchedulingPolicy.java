package org.aiflow.api.spi.policy;

import java.time.Duration;
import java.util.Optional;

import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reviews every action the scheduler is about to execute, and may retry failed tasks and limit how
 * long they run. Register as an OSGi service with {@value #NAME_PROPERTY}; policies are consulted in
 * service-ranking order (highest first). Policies read their settings from the {@code options} of
 * tasks and workflows. Must be fast, thread-safe and free of side effects: the same action may be
 * reviewed several times (a DEFER is reviewed again on every tick), and the scheduler recomputes a
 * retry delay after a restart rather than storing it.
 */
@ConsumerType
public interface SchedulingPolicy {
    /** Service property with the policy's name, shown by {@code aiflow:policy-list}. */
    String NAME_PROPERTY = "aiflow.policy.name";

    /** The first verdict that is not PROCEED decides. */
    PolicyVerdict review(ProposedAction action, SchedulingView view);

    /**
     * Called when a task execution failed (including by a timeout): how long to wait before the
     * retry it proposes, or empty for no retry. The first policy with an answer decides; while it
     * waits the failed attempt is RETRYING.
     *
     * @param retry   the retry as it would start: {@code attempt} is the new attempt's number
     * @param failure why the previous attempt failed
     */
    default Optional<Duration> retryDelay(ProposedAction retry, String failure) {
        return Optional.empty();
    }

    /** The longest a started task may run before the scheduler stops it as FAILED; the smallest answer applies. */
    default Optional<Duration> timeout(ProposedAction action) {
        return Optional.empty();
    }

    /**
     * Checks the options this policy reads at upload time.
     *
     * @throws org.aiflow.api.error.ValidationException naming the task and option
     */
    default void validate(WorkflowDefinition workflow) {
    }
}
