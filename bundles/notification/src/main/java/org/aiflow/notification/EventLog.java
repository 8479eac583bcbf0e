package org.aiflow.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.TooLargeException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.spi.storage.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification service over an {@link EventStore}, independent of OSGi so it can be embedded
 * and tested directly. Publishes go through the {@link GroupCommitter}; events the store reports
 * committed (publishes and other stores' outbox events) are pushed to the in-process subscriptions
 * at once. On a database other nodes share (not {@link EventStore#exclusive() exclusive}) an
 * {@link EventTail} also reads what they commit and merges it with the local commits in version
 * order, so subscribers here receive every node's events within about one poll interval.
 */
public final class EventLog implements NotificationService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    /**
     * Tunables.
     *
     * @param maxValueBytes           largest accepted value in UTF-8 bytes
     * @param maxBatchEvents          most events one group commit takes
     * @param recheckMillis           how often an idle subscription looks for other instances' events
     * @param retention               retention rules; empty keeps everything
     * @param retentionKeepsSubscribed never delete what a named subscription has not acknowledged
     * @param pollMillis              on a shared database, how often the node reads other nodes' events; 0: never
     */
    public record Settings(int maxValueBytes, int maxBatchEvents, long recheckMillis, List<RetentionRule> retention,
                           boolean retentionKeepsSubscribed, long pollMillis) {
        public static final long DEFAULT_POLL_MILLIS = 50;

        public Settings {
            if (pollMillis < 0) {
                throw new IllegalArgumentException("pollMillis must be >= 0, got " + pollMillis);
            }
        }

        public static Settings defaults() {
            return new Settings(EventDraft.DEFAULT_MAX_VALUE_BYTES, 1000, 1000, List.of(), true, DEFAULT_POLL_MILLIS);
        }

        public Settings withMaxValueBytes(int bytes) {
            return new Settings(bytes, maxBatchEvents, recheckMillis, retention, retentionKeepsSubscribed, pollMillis);
        }

        public Settings withRetention(List<RetentionRule> rules, boolean keepSubscribed) {
            return new Settings(maxValueBytes, maxBatchEvents, recheckMillis, rules, keepSubscribed, pollMillis);
        }

        public Settings withPollMillis(long millis) {
            return new Settings(maxValueBytes, maxBatchEvents, recheckMillis, retention, retentionKeepsSubscribed, millis);
        }
    }

    private final EventStore store;
    private final Settings settings;
    private final Clock clock;
    private final GroupCommitter committer;
    private final EventLogStats stats;
    private final AutoCloseable commitListener;
    /** Null on an exclusive database or with polling off. */
    private final EventTail tail;
    private final Set<LogSubscription> subscriptions = new CopyOnWriteArraySet<>();

    public EventLog(EventStore store, Settings settings) {
        this(store, settings, new EventLogStats());
    }

    /** @param stats where publish latency and commit sizes are recorded (the bundle's in OSGi, kept across re-creations) */
    public EventLog(EventStore store, Settings settings, EventLogStats stats) {
        this(store, settings, Clock.systemUTC(), stats);
    }

    EventLog(EventStore store, Settings settings, Clock clock) {
        this(store, settings, clock, new EventLogStats());
    }

    private EventLog(EventStore store, Settings settings, Clock clock, EventLogStats stats) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.stats = stats;
        this.committer = new GroupCommitter(store, settings.maxBatchEvents(), stats);
        if (store.exclusive() || settings.pollMillis() == 0) {
            this.tail = null;
            // every commit of the store, ours and other stores' outbox events alike, reaches the subscribers
            this.commitListener = store.onCommitted(this::fanOut);
        } else {
            // the latest version before the listener: a commit in between is read by the tail
            this.tail = new EventTail(store, store.latestVersion(), settings.pollMillis(), this::fanOut);
            this.commitListener = store.onCommitted(tail::committed);
            tail.start();
            LOG.info("Event log on a shared {} database: reading other nodes' events every {} ms", store.backend(), settings.pollMillis());
        }
    }

    /** Publish latency and commit sizes measured so far. */
    public EventLogStats statistics() {
        return stats;
    }

    /** The tail reading other nodes' events, if this log runs one (a shared database, polling on). */
    EventTail tail() {
        return tail;
    }

    private void fanOut(List<Event> committed) {
        subscriptions.forEach(s -> s.push(committed));
    }

    @Override
    public Event publish(EventDraft draft) {
        if (draft == null) {
            throw new ValidationException("event is required");
        }
        draft.checkValueSize(settings.maxValueBytes());
        return committer.commit(List.of(draft)).get(0);
    }

    @Override
    public List<Event> publishAll(List<EventDraft> drafts) {
        if (drafts == null || drafts.isEmpty()) {
            throw new ValidationException("a batch needs at least one event");
        }
        if (drafts.size() > settings.maxBatchEvents()) {
            throw new ValidationException("a batch holds at most " + settings.maxBatchEvents() + " events, got " + drafts.size());
        }
        for (int i = 0; i < drafts.size(); i++) {
            if (drafts.get(i) == null) {
                throw new ValidationException("event " + i + " of the batch is missing");
            }
            try {
                drafts.get(i).checkValueSize(settings.maxValueBytes());
            } catch (TooLargeException e) {
                throw new TooLargeException("event " + i + " of the batch: " + e.getMessage());
            }
        }
        return committer.commit(List.copyOf(drafts));
    }

    @Override
    public List<Event> list(EventQuery query) {
        return store.list(query);
    }

    @Override
    public long count(EventQuery query) {
        return store.count(query);
    }

    @Override
    public Map<String, Long> countBySender(EventQuery query) {
        return store.countBySender(query);
    }

    @Override
    public long latestVersion() {
        return store.latestVersion();
    }

    @Override
    public long latestVersion(String namespace, String key) {
        return store.latestVersion(namespace, key);
    }

    @Override
    public long versionBefore(Instant time) {
        if (time == null) {
            throw new ValidationException("time is required");
        }
        return store.versionBefore(time);
    }

    @Override
    public Subscription subscribe(long afterVersion, EventListener listener) {
        return start(afterVersion, listener, listener.getClass().getSimpleName());
    }

    private Subscription start(long afterVersion, EventListener listener, String name) {
        if (afterVersion < 0) {
            throw new ValidationException("afterVersion must be >= 0");
        }
        LogSubscription s = new LogSubscription(store, afterVersion, listener, settings.recheckMillis(), name, subscriptions::remove);
        subscriptions.add(s); // before its first read, so no commit falls between the read and the pushes
        s.start();
        return s;
    }

    @Override
    public SubscriptionInfo createSubscription(String name, long afterVersion) {
        Names.identifier("subscription name", name);
        if (afterVersion < 0) {
            throw new ValidationException("afterVersion must be >= 0");
        }
        return store.createSubscription(name, afterVersion);
    }

    @Override
    public List<SubscriptionInfo> subscriptions() {
        return store.listSubscriptions();
    }

    @Override
    public SubscriptionInfo subscription(String name) {
        return store.findSubscription(name).orElseThrow(() -> new NotFoundException("subscription", name));
    }

    @Override
    public SubscriptionInfo acknowledge(String name, long version) {
        if (version < 0 || version > store.latestVersion()) {
            throw new ValidationException("cannot acknowledge version " + version + ": the latest version is " + store.latestVersion());
        }
        return store.acknowledge(name, version).orElseThrow(() -> new NotFoundException("subscription", name));
    }

    @Override
    public void deleteSubscription(String name) {
        store.deleteSubscription(name);
    }

    @Override
    public Subscription resume(String name, EventListener listener) {
        return start(subscription(name).cursor(), listener, name);
    }

    /**
     * Applies the retention rules once.
     *
     * @return how many events were deleted
     */
    public long applyRetention() {
        if (settings.retention().isEmpty()) {
            return 0;
        }
        long floor = Long.MAX_VALUE;
        if (settings.retentionKeepsSubscribed()) {
            for (SubscriptionInfo s : store.listSubscriptions()) {
                floor = Math.min(floor, s.cursor());
            }
        }
        Instant now = clock.instant();
        long deleted = 0;
        for (String namespace : store.namespaces()) {
            RetentionRule rule = RetentionRule.forNamespace(settings.retention(), namespace);
            if (rule != null) {
                deleted += store.deleteEvents(namespace, rule.maxAge() == null ? null : now.minus(rule.maxAge()), rule.maxCount(), floor);
            }
        }
        if (deleted > 0) {
            LOG.info("Retention deleted {} events{}", deleted, floor == Long.MAX_VALUE ? "" : " (kept everything after version " + floor + " for named subscriptions)");
        }
        return deleted;
    }

    /** Commits what publishers already queued, then stops every subscription. */
    @Override
    public void close() {
        committer.close();
        try {
            commitListener.close();
        } catch (Exception e) {
            LOG.warn("Could not unregister from the event store: {}", e.getMessage());
        }
        if (tail != null) {
            tail.close();
        }
        subscriptions.forEach(LogSubscription::close);
    }
}
