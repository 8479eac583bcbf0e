package org.aiflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.stats.HistogramSnapshot;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

/** The notification service's contract, run on each backend by the subclasses. */
abstract class EventLogContractTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestDatabase database;
    private EventStore store;
    private EventLog log;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    abstract TestDatabase createDatabase();

    @BeforeEach
    void open() throws Exception {
        database = createDatabase();
        store = JdbcStorage.open(database.dataSource()).eventStore();
        log = open(store, EventLog.Settings.defaults().withMaxValueBytes(16));
    }

    private EventLog open(EventStore eventStore, EventLog.Settings settings) {
        EventLog l = new EventLog(eventStore, settings);
        closeables.add(0, l);
        return l;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        database.close();
    }

    private static Event next(BlockingQueue<Event> queue) throws InterruptedException {
        Event e = queue.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    private static EventQuery all() {
        return EventQuery.after(0, EventQuery.MAX_LIMIT);
    }

    @Test
    void subscriberGetsPastThenNewEventsInOrder() throws Exception {
        log.publish(EventDraft.of("a", "1"));
        log.publish(EventDraft.of("b", "2"));
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (Subscription s = log.subscribe(0, received::add)) {
            assertThat(next(received).key()).isEqualTo("a");
            assertThat(next(received).key()).isEqualTo("b");
            Event c = log.publish(EventDraft.of("c", "3"));
            assertThat(next(received)).isEqualTo(c);
        }
        log.publish(EventDraft.of("d", "4"));
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("no delivery after close").isNull();
    }

    @Test
    void subscriptionsStartFromAVersionFromATimeOrFromNow() throws Exception {
        Event first = log.publish(EventDraft.of("a", "1"));
        log.publish(EventDraft.of("b", "2"));
        BlockingQueue<Event> fromVersion = new LinkedBlockingQueue<>();
        BlockingQueue<Event> fromNow = new LinkedBlockingQueue<>();
        BlockingQueue<Event> fromTime = new LinkedBlockingQueue<>();
        try (Subscription a = log.subscribe(first.version(), fromVersion::add);
             Subscription b = log.subscribe(log.latestVersion(), fromNow::add);
             Subscription c = log.subscribe(log.versionBefore(first.createTime()), fromTime::add)) {
            assertThat(next(fromVersion).key()).isEqualTo("b");
            assertThat(next(fromTime).key()).isEqualTo("a");
            log.publish(EventDraft.of("c", "3"));
            assertThat(next(fromNow).key()).isEqualTo("c");
        }
        assertThat(log.versionBefore(Instant.now().plusSeconds(1))).isEqualTo(log.latestVersion());
    }

    @Test
    void oversizedValuesAreRejectedAndNothingIsStored() {
        assertThatThrownBy(() -> log.publish(EventDraft.of("big", "x".repeat(17))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("17 bytes, more than the limit of 16");
        assertThatThrownBy(() -> log.publishAll(List.of(EventDraft.of("ok", "1"), EventDraft.of("big", "ü".repeat(9)))))
                .hasMessage("event 1 of the batch: value is 18 bytes, more than the limit of 16 bytes");
        assertThatThrownBy(() -> log.publishAll(List.of())).hasMessageContaining("at least one event");
        assertThat(log.latestVersion()).isZero();
        assertThat(log.statistics().publishNanos().count()).as("refused publishes are not timed").isZero();
        assertThat(log.statistics().commitBatchEvents().count()).isZero();
    }

    @Test
    void batchesAreStoredTogetherInOrder() {
        List<Event> batch = log.publishAll(List.of(EventDraft.of("a", "1"), EventDraft.of("b", "2"), EventDraft.of("c", "3")));
        assertThat(batch).extracting(Event::version).containsExactly(1L, 2L, 3L);
        assertThat(log.list(all())).isEqualTo(batch);
        assertThat(log.count(all())).isEqualTo(3);
        assertThat(log.latestVersion("default", "b")).isEqualTo(2);
        assertThat(log.countBySender(all())).isEqualTo(Map.of("", 3L));
        // one publish call, one commit of three events (bucket "<= 5")
        assertThat(log.statistics().publishNanos().count()).isEqualTo(1);
        assertThat(log.statistics().commitBatchEvents().bucketCounts()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(log.statistics().commitBatchEvents().sum()).isEqualTo(3);
    }

    @Test
    void aFailingListenerDoesNotStopDelivery() throws Exception {
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        List<Long> failed = new CopyOnWriteArrayList<>();
        try (Subscription s = log.subscribe(0, e -> {
            if (e.key().equals("bad")) {
                failed.add(e.version());
                throw new IllegalStateException("listener bug");
            }
            received.add(e);
        })) {
            log.publish(EventDraft.of("bad", ""));
            log.publish(EventDraft.of("good", ""));
            assertThat(next(received).key()).isEqualTo("good");
            assertThat(failed).hasSize(1);
        }
    }

    /** Counts the store's append calls: one per transaction. */
    private static EventStore countingAppends(EventStore delegate, AtomicInteger appends) {
        return (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("append")) {
                        appends.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void concurrentPublishesAreGroupCommitted() throws Exception {
        AtomicInteger appends = new AtomicInteger();
        EventLog grouped = open(countingAppends(store, appends), EventLog.Settings.defaults());
        int threads = 16;
        int perThread = 50;
        runConcurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                grouped.publish(EventDraft.of("t" + t, Integer.toString(i)));
            }
        });
        assertThat(grouped.count(all())).isEqualTo(threads * perThread);
        assertThat(appends.get()).as("transactions for %d publishes", threads * perThread).isLessThan(threads * perThread);
        // one latency per publish call, one size per commit, and the sizes add up to the events
        HistogramSnapshot latency = grouped.statistics().publishNanos();
        HistogramSnapshot sizes = grouped.statistics().commitBatchEvents();
        assertThat(latency.count()).isEqualTo(threads * perThread);
        assertThat(latency.sum()).isPositive();
        assertThat(sizes.count()).isEqualTo(appends.get());
        assertThat(sizes.sum()).isEqualTo(threads * perThread);
        assertThat(sizes.bucketCounts()[0]).as("commits of one event").isLessThan(sizes.count());
    }

    @Test
    void concurrentResendsWithOneIdempotencyKeyStoreOnce() throws Exception {
        List<List<Long>> versions = new CopyOnWriteArrayList<>();
        runConcurrently(16, t -> {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                mine.add(log.publish(new EventDraft(null, "k", "from " + t, null, null, null, "key-" + i)).version());
            }
            versions.add(mine);
        });
        assertThat(log.count(all())).isEqualTo(50);
        for (List<Long> mine : versions) {
            assertThat(mine).isEqualTo(versions.get(0)); // every re-send got the original's version
        }
    }

    /**
     * The gap test: two platform instances (each its own pool and event log) publish concurrently
     * into one database while a subscriber follows one of them. The subscriber must see every
     * committed event, in version order, with no version skipped — exactly what the table holds.
     */
    @Test
    void twoInstancesPublishingConcurrentlyLeaveNoGapForASubscriber() throws Exception {
        HikariDataSource secondPool = database.newPool();
        closeables.add(secondPool);
        EventLog second = open(JdbcStorage.open(secondPool).eventStore(), EventLog.Settings.defaults());
        EventLog first = open(store, EventLog.Settings.defaults());
        List<Long> seen = new CopyOnWriteArrayList<>();
        int threads = 32;
        int perThread = 40;
        try (Subscription s = first.subscribe(0, e -> seen.add(e.version()))) {
            runConcurrently(threads, t -> {
                EventLog instance = t % 2 == 0 ? first : second;
                for (int i = 0; i < perThread; i++) {
                    if (i % 10 == 9) {
                        instance.publishAll(List.of(EventDraft.of("gap", t + "-" + i + "a"), EventDraft.of("gap", t + "-" + i + "b")));
                    } else {
                        instance.publish(EventDraft.of("gap", t + "-" + i));
                    }
                }
            });
            long total = threads * (perThread + perThread / 10);
            await().atMost(WAIT).until(() -> seen.size() >= total);
            List<Long> table = first.list(all()).stream().map(Event::version).toList();
            assertThat(table).hasSize((int) total);
            assertThat(seen).isEqualTo(table);
            assertThat(seen).isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
        }
    }

    @Test
    void namedSubscriptionsResumeAfterTheirAcknowledgedCursor() throws Exception {
        log.publish(EventDraft.of("a", "1"));
        SubscriptionInfo info = log.createSubscription("indexer", 0);
        assertThat(info.lag()).isEqualTo(1);
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (Subscription s = log.resume("indexer", received::add)) {
            Event a = next(received);
            log.acknowledge("indexer", a.version());
            log.publish(EventDraft.of("b", "2"));
            assertThat(next(received).key()).isEqualTo("b"); // delivered but not acknowledged
        }
        log.publish(EventDraft.of("c", "3"));
        assertThat(log.subscription("indexer").lag()).isEqualTo(2);
        BlockingQueue<Event> again = new LinkedBlockingQueue<>();
        try (Subscription s = log.resume("indexer", again::add)) {
            assertThat(next(again).key()).isEqualTo("b"); // at-least-once: the unacknowledged event comes again
            assertThat(next(again).key()).isEqualTo("c");
        }
        assertThatThrownBy(() -> log.acknowledge("indexer", 99)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> log.acknowledge("nobody", 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> log.resume("nobody", e -> { })).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> log.createSubscription("bad name", 0)).isInstanceOf(ValidationException.class);
        assertThat(log.subscriptions()).extracting(SubscriptionInfo::name).containsExactly("indexer");
        log.deleteSubscription("indexer");
        assertThat(log.subscriptions()).isEmpty();
    }

    @Test
    void retentionHonoursRulesAndNamedSubscriptions() {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
        EventLog retaining = new EventLog(store, EventLog.Settings.defaults().withRetention(List.of(
                RetentionRule.parse("metrics count=2"), RetentionRule.parse("* age=1d")), true), later);
        closeables.add(0, retaining);
        for (int i = 0; i < 5; i++) {
            retaining.publish(new EventDraft("metrics", "m", Integer.toString(i), null, null, null, null));
        }
        retaining.publish(new EventDraft("logs", "l", "old", null, null, null, null));
        retaining.createSubscription("slow-reader", 1);
        // the reader has acknowledged version 1 only: nothing above it may go
        assertThat(retaining.applyRetention()).isEqualTo(1);
        retaining.acknowledge("slow-reader", retaining.latestVersion());
        // now metrics keeps its newest 2 and logs (age rule, clock two days ahead) loses everything
        assertThat(retaining.applyRetention()).isEqualTo(2 + 1);
        assertThat(retaining.list(all())).extracting(Event::value).containsExactly("3", "4");
        assertThatThrownBy(() -> RetentionRule.parse("metrics age=7w")).hasMessageContaining("unit");
        assertThatThrownBy(() -> RetentionRule.parse("metrics")).hasMessageContaining("needs age");
    }

    @Test
    void descendingListsTheNewestFirstAndPagesBackThroughEveryMatchOnce() {
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            // two namespaces, three keys, two senders: the filters below match a scattered third or so
            drafts.add(new EventDraft(i % 2 == 0 ? "even" : "odd", "k" + i % 3, Integer.toString(i), null, i % 5 == 0 ? "ci" : "ui",
                    null, null));
        }
        List<Event> stored = log.publishAll(drafts);
        assertThat(log.list(EventQuery.after(0, 5).withDescending(true))).extracting(Event::version)
                .containsExactly(60L, 59L, 58L, 57L, 56L);
        assertThat(log.list(EventQuery.after(0, 3).withUntilVersion(10L).withDescending(true))).extracting(Event::version)
                .containsExactly(10L, 9L, 8L);

        // a namespace and a key, and a sender; alone and combined with afterVersion
        EventQuery byKey = new EventQuery(List.of("even"), List.of("k1"), null, null, 0, null, null, null, 3, true);
        EventQuery bySender = new EventQuery(null, null, null, List.of("ci"), 0, null, null, null, 2, true);
        for (EventQuery q : List.of(byKey, bySender, byKey.withAfterVersion(17), bySender.withAfterVersion(25),
                byKey.withUntilVersion(40L), byKey.withAfterVersion(10).withUntilVersion(50L))) {
            List<Event> expected = stored.stream().filter(e -> matches(e, q))
                    .sorted(java.util.Comparator.comparingLong(Event::version).reversed()).toList();
            assertThat(expected).as("the filter matches something: %s", q).isNotEmpty();
            List<Event> paged = new ArrayList<>();
            EventQuery page = q;
            for (int pages = 0; pages <= 60; pages++) {
                List<Event> events = log.list(page);
                assertThat(events.size()).isLessThanOrEqualTo(q.limit());
                paged.addAll(events);
                if (events.size() < q.limit()) {
                    break;
                }
                page = page.withUntilVersion(events.get(events.size() - 1).version() - 1);
            }
            assertThat(paged).as("newest first, each match once: %s", q).isEqualTo(expected);
            assertThat(log.count(q)).as("counts ignore the order and the limit").isEqualTo(expected.size());
        }
        assertThat(log.list(byKey.withAfterVersion(30).withUntilVersion(30L))).isEmpty();
        assertThat(log.list(EventQuery.after(60, 10).withDescending(true))).isEmpty();
    }

    /** The filters that {@link #descendingListsTheNewestFirstAndPagesBackThroughEveryMatchOnce} uses, in plain Java. */
    private static boolean matches(Event e, EventQuery q) {
        return e.version() > q.afterVersion() && (q.untilVersion() == null || e.version() <= q.untilVersion())
                && (q.namespaces().isEmpty() || q.namespaces().contains(e.namespace()))
                && (q.keys().isEmpty() || q.keys().contains(e.key()))
                && (q.senders().isEmpty() || q.senders().contains(e.sender()));
    }

    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    private static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    body.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
