package org.aiflow.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database as the platform runs it: the same commits in small batches make a file a
 * fraction of H2's own size, and a closed database is
 * reopened without recovery.
 */
class EmbeddedH2Test {
    private static final int EVENTS = 20_000;
    /** Short periods so that chunks age past the retention time within the test. */
    private static final EmbeddedH2.Settings QUICK = new EmbeddedH2.Settings(4, 50, 200, "", true);
    private static final EmbeddedH2.Settings H2_ALONE = new EmbeddedH2.Settings(4, 0, 200, "", false);

    @TempDir
    Path dir;

    @Test
    void housekeepingKeepsTheFileAFractionOfH2sOwn() throws Exception {
        long alone;
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("alone/db"), H2_ALONE)) {
            append(db, EVENTS);
            alone = Files.size(db.mvDbFile());
        }
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("kept/db"), QUICK)) {
            append(db, EVENTS);
            long kept = Files.size(db.mvDbFile());
            System.out.printf("%d events in batches of 16: H2 alone %d bytes an event, with housekeeping %d%n", EVENTS, alone / EVENTS, kept / EVENTS);
            assertThat(kept).as("file with housekeeping vs H2 alone (%d bytes)", alone).isLessThan(alone / 2);

            assertThat(count(db)).isEqualTo(EVENTS);
        }
    }

    @Test
    void spaceOfDeletedRowsIsGivenBackAtClose() throws Exception {
        Path file;
        long afterDelete;
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("retention/db"), QUICK)) {
            file = db.mvDbFile();
            append(db, EVENTS);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM events WHERE version <= " + (EVENTS * 9 / 10)); // retention removes 90%
                c.commit();
            }
            append(db, EVENTS + 1, 100); // the chunks of the delete age past the retention time meanwhile
            db.housekeepNow();
            afterDelete = Files.size(file);
            append(db, EVENTS + 101, EVENTS * 9 / 10);
            db.housekeepNow();
            long refilled = Files.size(file);
            System.out.printf("deleted 90%% of %d events: file %d bytes; as many appended again: %d bytes%n", EVENTS, afterDelete, refilled);
            // not asserted: how much of the freed space the new events take depends on timing (the
            // file stayed at its size in one run, grew by a quarter in another; it doubles without reuse)
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM events WHERE version <= " + (EVENTS + 100));
                c.commit();
            }
        }
        long closed = Files.size(file);
        System.out.printf("deleted all but %d events again and closed: %d bytes%n", EVENTS * 9 / 10, closed);
        assertThat(closed).as("file compacted at close (%d bytes before)", afterDelete).isLessThan(afterDelete / 4);
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("retention/db"), QUICK)) {
            assertThat(count(db)).isEqualTo(EVENTS * 9 / 10);
        }
    }

    @Test
    void aClosedDatabaseReopensCleanlyWithItsRows() throws Exception {
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("db"), QUICK)) {
            append(db, 100);
        }
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("db"), QUICK)) {
            assertThat(db.recoveryReport()).endsWith("was closed cleanly");
            assertThat(count(db)).isEqualTo(100);
        }
    }

    @Test
    void theDefaultFileIsUnderKarafData() {
        assertThat(EmbeddedH2DataSource.databaseFile("", "/opt/aiflow/data")).isEqualTo(Path.of("/opt/aiflow/data/aiflow/h2/aiflow"));
        assertThat(EmbeddedH2DataSource.databaseFile(" /srv/db/aiflow ", "/opt/aiflow/data")).isEqualTo(Path.of("/srv/db/aiflow"));
        assertThat(EmbeddedH2.url(Path.of("/d/aiflow"), EmbeddedH2.Settings.DEFAULT))
                .isEqualTo("jdbc:h2:file:/d/aiflow;MODE=MariaDB;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;RETENTION_TIME=1000");
    }

    /** Events of the log's shape, 16 to a commit as the group commit makes them under 16 publishers. */
    private static void append(EmbeddedH2 db, int events) throws SQLException {
        append(db, 1, events);
    }

    private static void append(EmbeddedH2 db, int first, int events) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS events (version BIGINT PRIMARY KEY, namespace VARCHAR(128) NOT NULL,"
                        + " event_key VARCHAR(255) NOT NULL, event_value MEDIUMTEXT NOT NULL, sender VARCHAR(128) NOT NULL,"
                        + " create_time BIGINT NOT NULL, idempotency_key VARCHAR(128), CONSTRAINT events_idempotency UNIQUE (idempotency_key))");
                s.execute("CREATE INDEX IF NOT EXISTS events_by_key ON events (namespace, event_key, version)");
                s.execute("CREATE INDEX IF NOT EXISTS events_by_time ON events (create_time)");
                s.execute("CREATE INDEX IF NOT EXISTS events_by_sender ON events (sender, version)");
            }
            c.commit();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int v = first; v < first + events; v++) {
                    insert.setLong(1, v);
                    insert.setString(2, "bench");
                    insert.setString(3, "key-" + v % 100);
                    insert.setString(4, "v".repeat(100));
                    insert.setString(5, "client-" + v % 16);
                    insert.setLong(6, System.currentTimeMillis());
                    insert.setString(7, "idem-" + v);
                    insert.addBatch();
                    if (v % 16 == 0 || v == first + events - 1) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
        }
    }

    private static long count(EmbeddedH2 db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM events")) {
            r.next();
            return r.getLong(1);
        }
    }
}
