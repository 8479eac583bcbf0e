package org.aiflow.api.spi.policy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reviews every action the scheduler is about to execute. Register as an OSGi service with
 * {@value #NAME_PROPERTY}; policies are consulted in service-ranking order (highest first) and the
 * first verdict that is not PROCEED decides. Must be fast, thread-safe and free of side effects:
 * the same action may be reviewed several times (a DEFER is reviewed again on every tick).
 */
@ConsumerType
public interface SchedulingPolicy {

    /** Service property with the policy's name, shown by {@code aiflow:policy-list}. */
    String NAME_PROPERTY = "aiflow.policy.name";

    PolicyVerdict review(ProposedAction action, SchedulingView view);
}
