package org.aiflow.api.event;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable event log. Thread-safe.
 *
 * <p><b>Durability:</b> when {@link #publish} returns, the event is committed to the store and
 * survives a crash of the platform. <b>Ordering:</b> versions are strictly increasing and
 * gap-safe. <b>Idempotency:</b> a draft with an {@code idempotencyKey} already stored returns the
 * stored event and stores nothing.
 */
@ProviderType
public interface NotificationService {

    /**
     * Publishes one event.
     *
     * @return the stored event with its version and create time
     * @throws org.aiflow.api.error.ValidationException if the value exceeds the configured cap
     * @throws org.aiflow.api.error.UnavailableException if the store cannot commit; nothing is stored
     */
    Event publish(EventDraft draft);

    /** Lists stored events matching the query, by version ascending. A snapshot of committed events. */
    List<Event> list(EventQuery query);

    /** The highest committed version, 0 if the log is empty. */
    long latestVersion();

    /**
     * Registers a listener that receives every event with a version greater than {@code afterVersion}
     * (past events first, then new ones right after they commit), until the returned handle is closed.
     */
    Subscription subscribe(long afterVersion, EventListener listener);

    /** A live subscription; closing it stops delivery. */
    @ProviderType
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
