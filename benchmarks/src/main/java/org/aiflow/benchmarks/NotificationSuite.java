package org.aiflow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.notification.EventLog;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/**
 * The notification service's throughput and latency, in process, beside raw JDBC on the same
 * database: single-client publish vs autocommit single-row inserts; 16-client publish (group
 * commit) vs 16 threads of autocommit inserts; batch publish vs multi-row INSERTs; publish →
 * subscriber latency at a fixed rate vs the latency of an autocommit insert at that rate. The raw
 * inserts go into a table of the event log's shape ({@link RawJdbc}); for information, a {@code #}
 * line after each throughput measure gives the same inserts into a bare table.
 */
final class NotificationSuite {
    private static final String VALUE = "x".repeat(100);
    private static final int BATCH = 1000;
    private static final int RATE = 1000;
    private static final int LATENCY_WARM_UP_SECONDS = 3;

    private final TestDatabase db;
    private final int seconds;

    NotificationSuite(TestDatabase db, int seconds) {
        this.db = db;
        this.seconds = seconds;
    }

    void run() throws Exception {
        JdbcStorage storage = JdbcStorage.open(db.dataSource());
        RawJdbc raw = new RawJdbc(db.newAutoCommitPool());
        try (EventLog log = new EventLog(storage.eventStore(), EventLog.Settings.defaults())) {
            Results.progress("warming up");
            Results.throughput(4, 2, t -> log.publish(EventDraft.of("warm" + t, VALUE)) != null ? 1 : 0);
            Results.throughput(4, 2, t -> raw.insertOne("warm" + t, VALUE));

            Results.progress("single-client publish");
            double single = Results.throughput(1, seconds, t -> log.publish(EventDraft.of("single", VALUE)) != null ? 1 : 0);
            double singleRaw = Results.throughput(1, seconds, t -> raw.insertOne("single", VALUE));
            bare("single-row inserts, 1 thread", single, Results.throughput(1, seconds, t -> raw.insertOne(RawJdbc.BARE, "single", VALUE)));
            Results.print("publish_1_client_events_per_s", single, singleRaw);

            Results.progress("16-client publish");
            double sixteen = Results.throughput(16, seconds, t -> log.publish(EventDraft.of("c" + t, VALUE)) != null ? 1 : 0);
            double sixteenRaw = Results.throughput(16, seconds, t -> raw.insertOne("c" + t, VALUE));
            bare("single-row inserts, 16 threads", sixteen, Results.throughput(16, seconds, t -> raw.insertOne(RawJdbc.BARE, "c" + t, VALUE)));
            Results.print("publish_16_clients_events_per_s", sixteen, sixteenRaw);

            Results.progress("batch publish (" + BATCH + " events per call)");
            List<EventDraft> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(EventDraft.of("batch" + i, VALUE));
            }
            double batched = Results.throughput(1, seconds, t -> log.publishAll(batch).size());
            double batchedRaw = Results.throughput(1, seconds, t -> raw.insertMany(RawJdbc.LOG_SHAPED, BATCH, "batch", VALUE));
            bare("multi-row INSERTs", batched, Results.throughput(1, seconds, t -> raw.insertMany(RawJdbc.BARE, BATCH, "batch", VALUE)));
            Results.print("publish_batch_events_per_s", batched, batchedRaw);

            Results.progress("publish -> subscriber latency at " + RATE + " events/s (after " + LATENCY_WARM_UP_SECONDS + " s of it unmeasured)");
            long[] latency = latency(log);
            long[] insertLatency = insertLatency(raw);
            int n = seconds * RATE;
            Results.print("latency_p50_ms", Results.percentileMillis(latency, n, 50), Results.percentileMillis(insertLatency, n, 50));
            Results.print("latency_p99_ms", Results.percentileMillis(latency, n, 99), Results.percentileMillis(insertLatency, n, 99));
        }
    }

    /** The information line of a measure: the same raw inserts into the bare table (no secondary indexes). */
    private static void bare(String what, double value, double bare) {
        Results.progress(String.format(Locale.ROOT, "bare table (auto-increment key only), %s: %.2f events/s; ratio %.3f",
                what, bare, value / bare));
    }

    /** Publishes at a fixed rate; each sample is publish-call start to the subscriber's receipt. */
    private long[] latency(EventLog log) throws Exception {
        int n = seconds * RATE;
        long[] started = new long[n];
        long[] samples = new long[n];
        long[] acked = new long[n];
        CountDownLatch received = new CountDownLatch(n);
        CountDownLatch ready = new CountDownLatch(1);
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        try (Subscription s = log.subscribe(log.latestVersion(), e -> {
            if (e.key().equals("ready")) {
                ready.countDown();
            } else if (e.key().equals("latency")) {
                int i = Integer.parseInt(e.value());
                if (seen.putIfAbsent(i, true) == null) {
                    samples[i] = System.nanoTime() - started[i];
                    received.countDown();
                }
            }
        })) {
            // measure the steady state: the subscriber has started and received one event
            log.publish(EventDraft.of("ready", ""));
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the subscriber did not start");
            }
            // the same load, not measured: the batch measure just before leaves the JIT recompiling and garbage to collect
            Results.pace(LATENCY_WARM_UP_SECONDS * RATE, RATE, (i, due) -> log.publish(EventDraft.of("warm-up", "")));
            Results.pace(n, RATE, (i, due) -> {
                started[i] = due;
                log.publish(EventDraft.of("latency", Integer.toString(i)));
                acked[i] = System.nanoTime() - due;
            });
            if (!received.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the subscriber missed events: " + received.getCount() + " of " + n);
            }
            Results.progress(String.format(Locale.ROOT, "publish acknowledged: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    Results.percentileMillis(acked, n, 50), Results.percentileMillis(acked, n, 99), Results.percentileMillis(acked, n, 100)));
        }
        return samples;
    }

    /** The raw counterpart: how long one autocommit insert takes at the same rate. */
    private long[] insertLatency(RawJdbc raw) throws Exception {
        int n = seconds * RATE;
        long[] samples = new long[n];
        Results.pace(LATENCY_WARM_UP_SECONDS * RATE, RATE, (i, due) -> raw.insertOne("warm-up", ""));
        Results.pace(n, RATE, (i, due) -> {
            raw.insertOne("latency", Integer.toString(i));
            samples[i] = System.nanoTime() - due;
        });
        return samples;
    }
}
