package org.aiflow.api.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable event log. Thread-safe.
 *
 * <p><b>Durability:</b> when a publish call returns, its events are committed to the store and
 * survive a crash of the platform; when it throws, none of them is stored. <b>Ordering:</b>
 * versions are strictly increasing and gap-safe, also with several platform instances on one
 * database: a reader that has seen version {@code v} never later finds a committed event below
 * {@code v}. <b>Idempotency:</b> a draft whose {@code idempotencyKey} is already stored yields the
 * stored event (with its version) and stores nothing. Concurrent publishes are committed together
 * in one transaction (group commit), so throughput grows with the number of publishers.
 *
 * <p>Reads are snapshots of committed events.
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

    /**
     * Publishes several events atomically, in order: all are stored, or none.
     *
     * @return the stored events, in the order of the drafts
     * @throws org.aiflow.api.error.ValidationException naming the index of the first bad draft
     */
    List<Event> publishAll(List<EventDraft> drafts);

    /**
     * Events matching the query, by version ascending: the first {@code limit} after
     * {@code afterVersion}. A {@link EventQuery#descending() descending} query returns the newest
     * {@code limit} matching events up to {@code untilVersion} (or the latest) instead, newest first
     * (since 1.2): page back with {@code untilVersion} = the smallest version seen - 1.
     */
    List<Event> list(EventQuery query);

    /** How many events match the query ({@code limit} and the order are ignored). */
    long count(EventQuery query);

    /** How many events match the query, per sender ({@code limit} and the order are ignored). */
    Map<String, Long> countBySender(EventQuery query);

    /** The highest committed version, 0 if the log is empty. */
    long latestVersion();

    /** The highest committed version of one key in one namespace, 0 if it has none. */
    long latestVersion(String namespace, String key);

    /**
     * The highest version created strictly before {@code time}, 0 if none: subscribing after it
     * delivers every event created at or after {@code time}.
     */
    long versionBefore(Instant time);

    /**
     * Registers a listener that receives every event with a version greater than
     * {@code afterVersion} — stored ones first, then new ones pushed right after they commit — in
     * version order from one thread, until the returned handle is closed. Start from {@code 0} for
     * everything, from {@link #latestVersion()} for "from now", from {@link #versionBefore} for a
     * time. Delivery is at-least-once: dedupe by version.
     */
    Subscription subscribe(long afterVersion, EventListener listener);

    /**
     * Creates a named durable subscription whose cursor starts at {@code afterVersion}, or returns
     * the existing one unchanged.
     *
     * @throws org.aiflow.api.error.ValidationException if the name is not an identifier
     */
    SubscriptionInfo createSubscription(String name, long afterVersion);

    /** Every named subscription with its lag, by name. */
    List<SubscriptionInfo> subscriptions();

    /** @throws org.aiflow.api.error.NotFoundException if there is no such subscription */
    SubscriptionInfo subscription(String name);

    /**
     * Records that the named subscriber has processed everything up to {@code version}. The
     * cursor only moves forward: acknowledging a lower version changes nothing.
     *
     * @throws org.aiflow.api.error.NotFoundException if there is no such subscription
     * @throws org.aiflow.api.error.ValidationException if {@code version} is above the latest version
     */
    SubscriptionInfo acknowledge(String name, long version);

    /** Deletes a named subscription; retention no longer keeps events for it. No-op if absent. */
    void deleteSubscription(String name);

    /**
     * Delivers to {@code listener} every event after the named subscription's cursor, as
     * {@link #subscribe(long, EventListener)} does; the listener acknowledges progress with
     * {@link #acknowledge}.
     *
     * @throws org.aiflow.api.error.NotFoundException if there is no such subscription
     */
    Subscription resume(String name, EventListener listener);

    /** A live subscription; closing it stops delivery. */
    @ProviderType
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
