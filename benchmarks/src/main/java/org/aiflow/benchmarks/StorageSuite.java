package org.aiflow.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.storage.h2.EmbeddedH2;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/**
 * What durability and the embedded store's file cost: {@value #EVENTS} events of 100 bytes
 * appended through the event store in commits of {@value #BATCH} (the group commit's batches under
 * 16 publishers), on H2 as the platform runs it and on two baselines in the same run.
 * <ul>
 * <li>{@code storage.h2.bytes_per_event}: the file per event as the platform runs H2 (recovery,
 * housekeeping, forced to disk 4 times a second) against H2 alone with the same durable commits
 * ({@code WRITE_DELAY=0}, no housekeeping: the store up to 2026-12).</li>
 * <li>{@code storage.h2.durable_events_per_s}: appends per second as the platform runs H2 against
 * H2's own default ({@code WRITE_DELAY=500}: a commit returns before it is written, so a kill loses
 * the last half second): what durability costs.</li>
 * <li>{@code storage.mariadb.durable_events_per_s} (backend mariadb): the same load with
 * {@code innodb_flush_log_at_trx_commit=1} (each commit forced to disk, the default) against
 * {@code =2} (written at commit, forced once a second).</li>
 * </ul>
 */
final class StorageSuite {
    static final int EVENTS = 100_000;
    static final int BATCH = 16;
    private static final String VALUE = "v".repeat(100);

    private final TestDatabase db;
    private final String backend;

    StorageSuite(TestDatabase db, String backend) {
        this.db = db;
        this.backend = backend;
    }

    void run() throws Exception {
        if (backend.equals("mariadb")) {
            mariadb();
            return;
        }
        Run alone = h2(new EmbeddedH2.Settings(4, 0, 45_000, "", false), "H2 alone (WRITE_DELAY=0, no housekeeping)");
        Run platform = h2(EmbeddedH2.Settings.DEFAULT, "H2 as the platform runs it");
        Run fast = notDurableH2();
        Results.print("storage.h2.bytes_per_event", platform.bytesPerEvent(), alone.bytesPerEvent());
        Results.print("storage.h2.durable_events_per_s", platform.eventsPerSecond(), fast.eventsPerSecond());
    }

    private record Run(double bytesPerEvent, double eventsPerSecond) {
    }

    private static Run h2(EmbeddedH2.Settings settings, String what) throws Exception {
        Path dir = Files.createTempDirectory("aiflow-bench-storage-");
        try {
            double perSecond;
            long bytes;
            long closing;
            EmbeddedH2 h2 = EmbeddedH2.open(dir.resolve("aiflow"), settings);
            try {
                perSecond = append(h2.dataSource());
                bytes = Files.size(h2.mvDbFile());
            } finally {
                closing = System.nanoTime();
                h2.close();
                closing = System.nanoTime() - closing;
            }
            Results.progress(String.format(Locale.ROOT, "%s: %d events in %d-event commits at %.0f events/s, file %.1f MB (%.0f bytes an event); closed in %d ms to %.1f MB",
                    what, EVENTS, BATCH, perSecond, bytes / 1e6, bytes / (double) EVENTS, closing / 1_000_000, Files.size(dir.resolve("aiflow.mv.db")) / 1e6));
            return new Run(bytes / (double) EVENTS, perSecond);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** H2 with its own defaults (WRITE_DELAY=500, its background writer compacting), opened directly. */
    private static Run notDurableH2() throws Exception {
        Path dir = Files.createTempDirectory("aiflow-bench-storage-");
        try {
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL("jdbc:h2:file:" + dir.resolve("aiflow") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE");
            h2.setUser("sa");
            h2.setPassword("");
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setDataSource(h2);
            config.setAutoCommit(false);
            config.setMaximumPoolSize(4);
            double perSecond;
            try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
                perSecond = append(pool);
            }
            long bytes = Files.size(dir.resolve("aiflow.mv.db"));
            Results.progress(String.format(Locale.ROOT, "H2's default (WRITE_DELAY=500, not durable): %d events at %.0f events/s, file %.1f MB (%.0f bytes an event)",
                    EVENTS, perSecond, bytes / 1e6, bytes / (double) EVENTS));
            return new Run(bytes / (double) EVENTS, perSecond);
        } finally {
            deleteTree(dir);
        }
    }

    /** Appends the events through the platform's event store; returns events per second. */
    private static double append(DataSource dataSource) throws Exception {
        EventStore events = JdbcStorage.open(dataSource).eventStore();
        long began = System.nanoTime();
        for (int n = 0; n < EVENTS; ) {
            List<EventDraft> drafts = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH && n < EVENTS; i++, n++) {
                drafts.add(new EventDraft("bench", "key-" + n % 100, VALUE, null, "client-" + n % 16, null, "bench-" + n));
            }
            events.append(drafts);
        }
        return EVENTS / ((System.nanoTime() - began) / 1e9);
    }

    private void mariadb() throws Exception {
        String before = flushSetting();
        try {
            setFlush("1");
            double durable = appendFresh("innodb_flush_log_at_trx_commit=1");
            setFlush("2");
            double relaxed = appendFresh("innodb_flush_log_at_trx_commit=2");
            Results.print("storage.mariadb.durable_events_per_s", durable, relaxed);
        } finally {
            setFlush(before);
        }
    }

    private double appendFresh(String what) throws Exception {
        try (TestDatabase fresh = org.aiflow.storage.jdbc.TestDatabases.mariadb()) {
            double perSecond = append(fresh.dataSource());
            Results.progress(String.format(Locale.ROOT, "MariaDB with %s: %d events in %d-event commits at %.0f events/s", what, EVENTS, BATCH, perSecond));
            return perSecond;
        }
    }

    private String flushSetting() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT @@GLOBAL.innodb_flush_log_at_trx_commit")) {
            r.next();
            return r.getString(1);
        }
    }

    private void setFlush(String value) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL innodb_flush_log_at_trx_commit = " + Integer.parseInt(value));
        }
    }
}
