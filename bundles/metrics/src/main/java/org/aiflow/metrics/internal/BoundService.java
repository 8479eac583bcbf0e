package org.aiflow.metrics.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The service an optional, dynamic reference is bound to now, or null: what the scrape callbacks read.
 * Unbinding a service that was replaced meanwhile (a dynamic reference binds the new one first) keeps
 * the replacement.
 */
final class BoundService<T> {
    private final AtomicReference<T> current = new AtomicReference<>();

    T get() {
        return current.get();
    }

    void bind(T service) {
        current.set(service);
    }

    void unbind(T service) {
        current.compareAndSet(service, null);
    }
}
