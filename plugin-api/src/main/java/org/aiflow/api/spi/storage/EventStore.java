package org.aiflow.api.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.SubscriptionInfo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of the event log and of named subscriptions' cursors, implemented by storage
 * backends. Thread-safe; each method is one transaction.
 *
 * <p><b>Threads.</b> Called concurrently from many threads: publishers' request threads (REST,
 * console, jobs' clients), the notification service's readers and its retention thread, the
 * scheduler's worker ({@code aiflow-scheduler}) for its outbox events. Each method is one
 * transaction, or joins the {@link SchedulerStore#inTransaction} of the same backend open on the
 * calling thread.
 *
 * <p><b>Idempotency.</b> {@link #append} stores a draft whose idempotency key is already stored as
 * nothing and returns the stored event, so a publisher may retry after a timeout; cursors only move
 * forward ({@link #acknowledge}); {@link #createSubscription} creates nothing if the subscription
 * exists. Versions are allocated at commit, dense and gap-safe, and never reused.
 *
 * <p><b>State.</b> The backend persists the events and the subscriptions' cursors; nothing the
 * platform needs after a restart lives elsewhere. A new instance of the service (a backend restarted
 * or swapped) serves the same log: consumers re-attach by subscription name or by the last version
 * they saw.
 */
@ProviderType
public interface EventStore {

    /** Name of the backend in use, e.g. {@code H2} or {@code MariaDB}. */
    String backend();

    /**
     * Whether no other process can append to this log (an embedded database this process holds):
     * then every commit is reported to {@link #onCommitted} listeners here, and a reader that follows
     * the log needs no polling. False when other platform nodes may share the database; their
     * commits are seen only by reading, e.g. {@link #list} after the highest version seen.
     *
     * @since 1.5
     */
    default boolean exclusive() {
        return false;
    }

    /**
     * Appends events in one transaction and returns them as stored, in order. The version of each is
     * allocated inside the committing transaction, so versions are gap-safe and dense (each new
     * version is the previous plus one). A draft whose idempotency key is already stored (or
     * appears earlier in the same call) yields that event and stores nothing. Committed when this
     * returns; on an exception nothing is stored.
     *
     * @throws org.aiflow.api.error.UnavailableException if the database cannot commit
     */
    List<Event> append(List<EventDraft> drafts);

    /**
     * Registers a listener told about every transaction of this store that committed events — plain
     * appends and other stores' outbox events alike — right after the commit, from the committing
     * thread. Listeners of concurrent commits may be called out of version order; they must be fast
     * and must not throw.
     *
     * @return closing it removes the listener
     */
    AutoCloseable onCommitted(Consumer<List<Event>> listener);

    /**
     * Events matching the query, by version ascending: the first {@code limit} after
     * {@code afterVersion}. A {@link EventQuery#descending() descending} query returns the newest
     * {@code limit} matching events up to {@code untilVersion} (or the latest) instead, by version
     * descending (since 1.4 of this package). Either order should be read along an index that
     * ends with the version where the filters allow, not by sorting every matching event: the first
     * page of a large log is what a user opens first.
     */
    List<Event> list(EventQuery query);

    /** How many events match the query; {@code limit} and the order are ignored. */
    long count(EventQuery query);

    /** How many events match the query, per sender; {@code limit} and the order are ignored. */
    Map<String, Long> countBySender(EventQuery query);

    /** Highest committed version, 0 when empty. */
    long latestVersion();

    /** Highest committed version of a key in a namespace, 0 when none. */
    long latestVersion(String namespace, String key);

    /** Highest version created before {@code time}, 0 when none. */
    long versionBefore(Instant time);

    /** Creates the named subscription at {@code cursor} unless it exists; returns it. */
    SubscriptionInfo createSubscription(String name, long cursor);

    Optional<SubscriptionInfo> findSubscription(String name);

    List<SubscriptionInfo> listSubscriptions();

    /** Moves the cursor forward to {@code version} (never back); empty if there is no such subscription. */
    Optional<SubscriptionInfo> acknowledge(String name, long version);

    boolean deleteSubscription(String name);

    /**
     * Deletes old events of one namespace: those created before {@code createdBefore} (if not
     * null) and those beyond the newest {@code keepNewest} (if not null), but never one above
     * {@code maxVersion}.
     *
     * @return how many events were deleted
     */
    long deleteEvents(String namespace, Instant createdBefore, Long keepNewest, long maxVersion);

    /** Distinct namespaces that have events. */
    List<String> namespaces();
}
