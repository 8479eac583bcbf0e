package org.aiflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two platform nodes (each its own pool, storage and notification service) on one MariaDB
 * database: subscribers on either node receive every node's events, each once and in version
 * order, and another node's event within the poll interval plus a read.
 */
class CrossNodeEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PUBLISHERS_PER_NODE = 4;
    private static final long PERIOD_MILLIS = 20; // 50 events/s per publisher, 400/s in all
    private static final int PER_PUBLISHER = 150; // 3 s

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(0, c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** What a subscriber on one node saw: versions in arrival order and when each arrived. */
    private record Seen(List<Long> versions, Map<Long, Long> arrivedNanos) {
        Seen() {
            this(new CopyOnWriteArrayList<>(), new ConcurrentHashMap<>());
        }

        void add(Event e) {
            arrivedNanos.put(e.version(), System.nanoTime());
            versions.add(e.version());
        }
    }

    /**
     * Publishers on both nodes: a node's own commit that skips versions (the other node's) makes
     * its tail read at once, so most events cross without waiting for the poll interval.
     */
    @Test
    void subscribersOnEveryNodeReceiveEveryNodesEventsOnceInOrderWithinTheLatencyBound() throws Exception {
        crossNode("publishers on both nodes", PUBLISHERS_PER_NODE, PUBLISHERS_PER_NODE);
    }

    /** Publishers on node A only: node B hears of them only by its poll, the worst case. */
    @Test
    void aQuietNodeReceivesTheOtherNodesEventsByPolling() throws Exception {
        crossNode("publishers on node A only", PUBLISHERS_PER_NODE, 0);
    }

    private void crossNode(String scenario, int publishersOnA, int publishersOnB) throws Exception {
        TestDatabase database = closeLater(createSharedDatabase());
        EventLog nodeA = closeLater(new EventLog(JdbcStorage.open(database.dataSource()).eventStore(), EventLog.Settings.defaults()));
        EventLog nodeB = closeLater(new EventLog(JdbcStorage.open(closeLater(database.newPool())).eventStore(), EventLog.Settings.defaults()));
        assertThat(nodeA.tail()).as("a shared database is tailed").isNotNull();
        assertThat(nodeB.tail()).isNotNull();

        Seen onA = new Seen();
        Seen onB = new Seen();
        closeLater(nodeA.subscribe(0, onA::add));
        closeLater(nodeB.subscribe(0, onB::add));

        // warm-up, not measured: a node's first reads pay one-off costs (class loading, MyBatis'
        // dynamic SQL parsed on first use, JIT), about 0.4 s here
        nodeA.publish(EventDraft.of("warm-up", "a"));
        nodeB.publish(EventDraft.of("warm-up", "b"));
        await().atMost(WAIT).until(() -> onA.versions().size() == 2 && onB.versions().size() == 2);
        long warmUp = 2;

        // version -> [node (0 = A, 1 = B), nanoTime when publish returned]
        Map<Long, long[]> published = new ConcurrentHashMap<>();
        EventLog[] nodes = {nodeA, nodeB};
        int publishers = publishersOnA + publishersOnB;
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(publishers);
        closeLater(clock::shutdownNow);
        CountDownLatch done = new CountDownLatch(publishers);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        for (int p = 0; p < publishers; p++) {
            int node = p < publishersOnA ? 0 : 1;
            int publisher = p;
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            // staggered so the publishers do not all fire in the same millisecond
            self.set(clock.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                if (i >= PER_PUBLISHER) {
                    if (i == PER_PUBLISHER) {
                        done.countDown();
                        self.get().cancel(false);
                    }
                    return;
                }
                try {
                    Event e = nodes[node].publish(EventDraft.of("cross-node", publisher + "-" + i));
                    published.put(e.version(), new long[] {node, System.nanoTime()});
                } catch (RuntimeException ex) {
                    failures.add(ex);
                }
            }, publisher * PERIOD_MILLIS / publishers, PERIOD_MILLIS, TimeUnit.MILLISECONDS));
        }
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("publishers finished").isTrue();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(failures).isEmpty();
        assertThat(published).hasSize(publishers * PER_PUBLISHER);
        long total = warmUp + publishers * PER_PUBLISHER;

        await().atMost(WAIT).until(() -> onA.versions().size() >= total && onB.versions().size() >= total);
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        assertThat(nodeA.list(EventQuery.after(0, EventQuery.MAX_LIMIT)).stream().map(Event::version).toList()).isEqualTo(expected);
        assertThat(onA.versions()).as("node A's subscriber: each version once, in order").isEqualTo(expected);
        assertThat(onB.versions()).as("node B's subscriber: each version once, in order").isEqualTo(expected);

        // cross-node latency: publish returned on one node -> the other node's subscriber called
        long[] latencies = published.entrySet().stream().mapToLong(en -> {
            Seen other = en.getValue()[0] == 0 ? onB : onA;
            return Math.max(0, other.arrivedNanos().get(en.getKey()) - en.getValue()[1]);
        }).sorted().toArray();
        double p50 = millis(latencies, 0.50);
        double p95 = millis(latencies, 0.95);
        double p99 = millis(latencies, 0.99);
        double max = latencies[latencies.length - 1] / 1e6;
        String backend;
        try (java.sql.Connection c = database.dataSource().getConnection()) {
            backend = c.getMetaData().getDatabaseProductName();
        }
        System.out.printf("cross-node delivery over %s, %s: %d events from %d publishers in %.1f s (%.0f/s), poll %d ms, "
                        + "%d+%d polls: latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                backend, scenario, published.size(), publishers, seconds, published.size() / seconds, EventLog.Settings.DEFAULT_POLL_MILLIS,
                nodeA.tail().polls(), nodeB.tail().polls(), p50, p95, p99, max);
        assertThat(p99).as("cross-node p99 latency, ms").isLessThanOrEqualTo(250);
    }

    private static double millis(long[] sortedNanos, double quantile) {
        int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    @Test
    void anEmbeddedH2DatabaseStartsNoPoller() throws Exception {
        long pollersBefore = pollerThreads();
        TestDatabase database = closeLater(TestDatabases.h2());
        var store = JdbcStorage.open(database.dataSource()).eventStore();
        assertThat(store.exclusive()).isTrue();
        EventLog log = closeLater(new EventLog(store, EventLog.Settings.defaults()));
        assertThat(log.tail()).isNull();
        assertThat(pollerThreads()).isEqualTo(pollersBefore);
        // local commits still reach subscribers
        Seen seen = new Seen();
        closeLater(log.subscribe(0, seen::add));
        log.publish(EventDraft.of("h2", "1"));
        await().atMost(WAIT).until(() -> seen.versions().size() == 1);
    }

    @Test
    void pollingCanBeTurnedOff() throws Exception {
        TestDatabase database = closeLater(createSharedDatabase());
        var store = JdbcStorage.open(database.dataSource()).eventStore();
        assertThat(store.exclusive()).isFalse();
        EventLog log = closeLater(new EventLog(store, EventLog.Settings.defaults().withPollMillis(0)));
        assertThat(log.tail()).isNull();
    }

    /** The database the nodes share (PostgreSqlCrossNodeEventsTest: the same cases on PostgreSQL). */
    TestDatabase createSharedDatabase() {
        return TestDatabases.mariadb();
    }

    private static long pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(EventTail.THREAD_NAME)).count();
    }
}
