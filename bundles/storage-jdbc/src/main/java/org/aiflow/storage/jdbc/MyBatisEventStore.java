package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiFunction;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.storage.jdbc.mapper.EventMapper;
import org.aiflow.storage.jdbc.mapper.Rows.EventFilter;
import org.aiflow.storage.jdbc.mapper.Rows.EventRow;
import org.aiflow.storage.jdbc.mapper.Rows.SubscriptionRow;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.LoggerFactory;

/**
 * Event log over MyBatis. Versions are allocated under the lock of the event sequence row in the
 * inserting transaction, held until its commit, so commit order equals version order: gap-safe
 * without a high-watermark, also with several platform instances on one database.
 */
final class MyBatisEventStore implements EventStore {
    private final JdbcStorage storage;
    private final Set<Consumer<List<Event>>> listeners = new CopyOnWriteArraySet<>();
    private final EventAppender appender;

    /**
     * On an exclusive (embedded H2) database: the highest version whose transaction's commit has
     * returned, so is in the file; reads stop there. H2 makes a commit visible to other sessions
     * before it writes it, so a reader (a long-poll, an SSE catch-up) could otherwise see an event
     * that a kill then takes away, and later find its version given to another event (seen once in
     * the CI run of KillNineIT: a listener had heard versions 4035-4036 as events that were not in
     * the file after the restart). Commits are written in version order (the sequence row is locked
     * until commit), so every version up to this one is durable. {@code -1}: no cap (a shared database).
     * Shared by the stores open on the same database in this process (tests open two).
     */
    private final AtomicLong durable;
    private static final ConcurrentMap<String, AtomicLong> DURABLE_BY_URL = new ConcurrentHashMap<>();

    MyBatisEventStore(JdbcStorage storage) {
        this.storage = storage;
        String db = storage.databaseId();
        this.appender = new EventAppender("mariadb".equals(db) || "mysql".equals(db) || "postgresql".equals(db));
        if (storage.exclusive()) {
            // all that is in the file when it is opened is durable
            long inFile = storage.inTransaction(session -> session.getMapper(EventMapper.class).eventSequence());
            this.durable = DURABLE_BY_URL.computeIfAbsent(String.valueOf(storage.url()), u -> new AtomicLong());
            this.durable.accumulateAndGet(inFile, Math::max);
        } else {
            this.durable = new AtomicLong(-1);
        }
    }

    /**
     * Records that the events' transaction has committed, before anyone is told or may read them.
     * The highest version, not the last event's: a re-send returns its original, older version, and a
     * batch ending with one would otherwise leave the new events of the batch unreadable until the
     * next append.
     */
    private void durableUpTo(List<Event> events) {
        if (durable.get() >= 0 && !events.isEmpty()) {
            durable.accumulateAndGet(highestVersion(events), Math::max);
        }
    }

    /** The highest version of events just appended: a re-send returns its original (older) version, so not the last one's. */
    private static long highestVersion(List<Event> events) {
        long highest = 0;
        for (Event e : events) {
            highest = Math.max(highest, e.version());
        }
        return highest;
    }

    /** The query's upper version bound, capped at what is durable on an exclusive database. */
    private Long untilVersion(Long requested) {
        long cap = durable.get();
        if (cap < 0) {
            return requested;
        }
        return requested == null ? Long.valueOf(cap) : Long.valueOf(Math.min(requested, cap));
    }

    @Override
    public String backend() {
        return storage.backend();
    }

    @Override
    public boolean exclusive() {
        return storage.exclusive();
    }

    @Override
    public AutoCloseable onCommitted(Consumer<List<Event>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells the listeners about events whose transaction has committed. */
    void committed(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        for (Consumer<List<Event>> l : listeners) {
            try {
                l.accept(events);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(MyBatisEventStore.class).error("Commit listener failed", e);
            }
        }
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        // a batch executor: the locking select runs at once, the inserts go as one JDBC batch at commit
        List<Event> stored = storage.inBatchTransaction(session -> appendIn(session, drafts));
        AmbientTransaction joined = storage.ambient();
        if (joined != null) {
            // joined a transaction that commits later (it takes the event sequence lock now, not at its end)
            joined.appended.addAll(stored);
            return stored;
        }
        durableUpTo(stored);
        committed(stored);
        return stored;
    }

    /**
     * Runs {@code work} in one transaction that also appends the events it adds to the drafts it is
     * given (the outbox of another store); announces them once committed.
     */
    <T> Outboxed<T> withOutbox(BiFunction<SqlSession, List<EventDraft>, T> work) {
        AmbientTransaction joined = storage.ambient();
        if (joined != null) {
            // within SchedulerStore.inTransaction: its drafts are appended at the end of that transaction
            List<EventDraft> drafts = new ArrayList<>();
            T value = storage.inTransaction(session -> work.apply(session, drafts));
            joined.outbox.addAll(drafts);
            return new Outboxed<>(value, 0);
        }
        List<Event> appended = new ArrayList<>();
        T value = storage.inTransaction(session -> {
            List<EventDraft> drafts = new ArrayList<>();
            T v = work.apply(session, drafts);
            appended.addAll(appendIn(session, drafts)); // last: the event sequence lock is held briefly
            return v;
        });
        durableUpTo(appended);
        committed(appended);
        return new Outboxed<>(value, highestVersion(appended));
    }

    /**
     * Runs {@code work} as one transaction that every call of the stores on this thread joins (see
     * {@link org.aiflow.api.spi.storage.SchedulerStore#inTransaction}); appends the outbox drafts the
     * joined calls collected at its end (one append, so the event sequence lock is held only from
     * there to the commit), commits, then announces every event appended in it. A nested call joins
     * the open transaction (checking its own fence there if it differs) and returns version 0.
     */
    <T> Outboxed<T> inTransaction(LeaderFence fence, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        AmbientTransaction open = storage.ambient();
        if (open != null) {
            T value = storage.inTransaction(session -> {
                if (fence != null && !fence.equals(open.fence)) {
                    storage.checkFence(session, fence);
                }
                return work.get();
            });
            return new Outboxed<>(value, 0);
        }
        List<Event> appended = new ArrayList<>();
        T value = storage.ambientTransaction(fence, ambient -> {
            T v = work.get();
            ambient.checkCommittable(); // a joined call failed (and work caught it): roll back, append nothing
            ambient.flush(); // cursors, history rows: before the sequence lock
            appended.addAll(ambient.appended);
            if (!ambient.outbox.isEmpty()) {
                // last: the sequence lock is held briefly; the inserts go as one JDBC batch before the commit
                appended.addAll(appendIn(ambient.session, ambient.outbox, ambient.batch()));
            }
            return v;
        });
        durableUpTo(appended);
        committed(appended);
        return new Outboxed<>(value, highestVersion(appended));
    }

    /**
     * Appends within a transaction someone else commits (the outbox of another store); the caller
     * calls {@link #committed} after its commit. Takes the event sequence lock, so callers lock
     * their own rows first.
     *
     * <p>The first statement allocates a version for every draft and locks the sequence row until
     * the commit; idempotency keys are looked up under that lock, and if some drafts turn out to be
     * re-sends the sequence is set back to the versions actually used (still under the lock, so no
     * other transaction sees the difference). No re-send in a batch, no extra statement.
     */
    List<Event> appendIn(SqlSession session, List<EventDraft> drafts) {
        return appendIn(session, drafts, session);
    }

    /** As {@link #appendIn(SqlSession, List)}, with the inserts sent through {@code inserts} (a batch session on the same connection). */
    List<Event> appendIn(SqlSession session, List<EventDraft> drafts, SqlSession inserts) {
        return appender.appendIn(session, drafts, inserts);
    }

    @Override
    public List<Event> list(EventQuery q) {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).list(filter(q))
                .stream().map(MyBatisEventStore::toEvent).toList());
    }

    @Override
    public long count(EventQuery q) {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).count(filter(q)));
    }

    @Override
    public Map<String, Long> countBySender(EventQuery q) {
        return storage.inTransaction(session -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            session.getMapper(EventMapper.class).countBySender(filter(q)).forEach(c -> counts.put(c.sender, c.total));
            return counts;
        });
    }

    @Override
    public long latestVersion() {
        long sequence = storage.inTransaction(session -> session.getMapper(EventMapper.class).eventSequence());
        long cap = durable.get();
        return cap < 0 ? sequence : Math.min(sequence, cap);
    }

    @Override
    public long latestVersion(String namespace, String key) {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).latestVersionOfKey(namespace, key));
    }

    @Override
    public long versionBefore(Instant time) {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).versionBefore(time.toEpochMilli()));
    }

    @Override
    public List<String> namespaces() {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).namespaces());
    }

    @Override
    public long deleteEvents(String namespace, Instant createdBefore, Long keepNewest, long maxVersion) {
        return storage.inTransaction(session -> {
            EventMapper mapper = session.getMapper(EventMapper.class);
            long deleted = 0;
            if (createdBefore != null) {
                deleted += mapper.deleteOlderThan(namespace, createdBefore.toEpochMilli(), maxVersion);
            }
            if (keepNewest != null) {
                Long beyond = mapper.versionBeyondNewest(namespace, keepNewest);
                if (beyond != null) {
                    deleted += mapper.deleteUpTo(namespace, Math.min(beyond, maxVersion));
                }
            }
            return deleted;
        });
    }

    @Override
    public SubscriptionInfo createSubscription(String name, long cursor) {
        return storage.inTransaction(session -> {
            EventMapper mapper = session.getMapper(EventMapper.class);
            mapper.createSubscription(name, cursor, System.currentTimeMillis());
            return toSubscription(mapper.findSubscription(name), mapper.eventSequence());
        });
    }

    @Override
    public Optional<SubscriptionInfo> findSubscription(String name) {
        return storage.inTransaction(session -> {
            EventMapper mapper = session.getMapper(EventMapper.class);
            return Optional.ofNullable(mapper.findSubscription(name)).map(r -> toSubscription(r, mapper.eventSequence()));
        });
    }

    @Override
    public List<SubscriptionInfo> listSubscriptions() {
        return storage.inTransaction(session -> {
            EventMapper mapper = session.getMapper(EventMapper.class);
            long head = mapper.eventSequence();
            return mapper.listSubscriptions().stream().map(r -> toSubscription(r, head)).toList();
        });
    }

    @Override
    public Optional<SubscriptionInfo> acknowledge(String name, long version) {
        return storage.inTransaction(session -> {
            EventMapper mapper = session.getMapper(EventMapper.class);
            mapper.acknowledge(name, version, System.currentTimeMillis());
            return Optional.ofNullable(mapper.findSubscription(name)).map(r -> toSubscription(r, mapper.eventSequence()));
        });
    }

    @Override
    public boolean deleteSubscription(String name) {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).deleteSubscription(name) == 1);
    }

    private static SubscriptionInfo toSubscription(SubscriptionRow row, long head) {
        return new SubscriptionInfo(row.name, row.lastVersion, head, Instant.ofEpochMilli(row.createTime),
                Instant.ofEpochMilli(row.updateTime));
    }

    private EventFilter filter(EventQuery q) {
        EventFilter f = new EventFilter();
        f.namespaces = q.namespaces();
        f.keys = q.keys();
        f.types = q.types();
        f.senders = q.senders();
        f.afterVersion = q.afterVersion();
        f.untilVersion = untilVersion(q.untilVersion());
        f.fromMillis = q.fromTime() == null ? null : q.fromTime().toEpochMilli();
        f.toMillis = q.toTime() == null ? null : q.toTime().toEpochMilli();
        f.limit = q.limit();
        f.descending = q.descending();
        return f;
    }

    static Event toEvent(EventRow row) {
        return new Event(row.version, row.namespace, row.eventKey, row.eventValue, row.eventType, row.sender,
                Json.readStringMap(row.contextJson), Instant.ofEpochMilli(row.createTime), row.principal);
    }
}
