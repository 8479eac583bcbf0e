package org.aiflow.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives events after they are committed, in version order, from one thread per subscription.
 * Delivery is at-least-once: a listener that must not act twice dedupes by {@link Event#version()}.
 * A listener must return quickly; an exception it throws is logged and the event is not redelivered.
 */
@ConsumerType
@FunctionalInterface
public interface EventListener {
    void onEvent(Event event);
}
