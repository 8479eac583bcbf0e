package org.aiflow.api.spi.storage;

import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of the event log, implemented by storage backends. Thread-safe.
 */
@ProviderType
public interface EventStore {

    /** Name of the backend in use, e.g. {@code H2} or {@code MariaDB}. */
    String backend();

    /**
     * Appends events in one transaction and returns them as stored, in order. The version of each is
     * allocated inside the committing transaction, so versions are gap-safe. A draft whose
     * idempotency key is already stored yields the stored event and stores nothing. Committed when
     * this returns; on an exception nothing is stored.
     *
     * @throws org.aiflow.api.error.UnavailableException if the database cannot commit
     */
    List<Event> append(List<EventDraft> drafts);

    /** Events matching the query, by version ascending. */
    List<Event> list(EventQuery query);

    /** Highest committed version, 0 when empty. */
    long latestVersion();
}
