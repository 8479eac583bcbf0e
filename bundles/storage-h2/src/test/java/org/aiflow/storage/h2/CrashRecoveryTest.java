package org.aiflow.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 file as a {@code kill -9} leaves it: a copy of the file taken right after a commit
 * returned (every write of the commit is in the file, as in the page cache after a kill; nothing
 * was closed). For each commit of an event-log-shaped load, H2's own open of such a copy is
 * compared with the last committed version; a copy that H2 reopens at an older version is then
 * recovered, and must hold every committed row.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aKilledFileIsReopenedWithEveryCommittedRow() throws Exception {
        Path live = dir.resolve("live");
        Files.createDirectories(live);
        // RETENTION_TIME=0: freed space is reused at once (after the default 45 s otherwise), so chunks go into holes early
        String url = "jdbc:h2:file:" + live.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;RETENTION_TIME=0";
        Random random = new Random(42);
        int commits = 0;
        int lostByH2Alone = 0;
        int recovered = 0;
        long last = 0;
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            createEventLog(c);
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?)");
            PreparedStatement trim = c.prepareStatement("DELETE FROM events WHERE version <= ?");
            // until H2 alone has lost the last commit of 5 copies (with this load: within about 50 commits)
            while (lostByH2Alone < 5 && commits < 4000) {
                int batch = 1 + random.nextInt(random.nextInt(10) < 8 ? 8 : 400);
                for (int i = 0; i < batch; i++) {
                    last++;
                    insert.setLong(1, last);
                    insert.setString(2, "ns" + random.nextInt(5));
                    insert.setString(3, "key-" + random.nextInt(1000));
                    insert.setString(4, "x".repeat(100 + random.nextInt(100)));
                    insert.setString(5, "id-" + last);
                    insert.addBatch();
                }
                insert.executeBatch();
                if (random.nextInt(20) == 0) {
                    trim.setLong(1, last - 500); // retention: frees pages, so later chunks go into holes
                    trim.executeUpdate();
                }
                c.commit();
                commits++;

                Path killed = dir.resolve("killed-" + commits);
                Files.createDirectories(killed);
                Path file = killed.resolve("db.mv.db");
                Files.copy(live.resolve("db.mv.db"), file);
                // cheap first look (read-only, nothing written): does H2's own open reach what a scan finds?
                if (CrashRecovery.versionOf(file.toString(), false) < storedVersion(c)) {
                    Path asH2Does = dir.resolve("h2-" + commits);
                    Files.createDirectories(asH2Does);
                    Files.copy(file, asH2Does.resolve("db.mv.db"));
                    if (lastVersionOpeningAsH2Does(asH2Does) < last) {
                        lostByH2Alone++;
                    }
                    deleteTree(asH2Does);
                    CrashRecovery.Outcome outcome = CrashRecovery.recover(file);
                    assertThat(outcome.recovered()).as(outcome.describe(file)).isTrue();
                    assertThat(lastVersionOpeningAsH2Does(killed)).as("recovered copy after commit " + commits).isEqualTo(last);
                    recovered++;
                }
                deleteTree(killed);
            }
        }
        System.out.printf("%d commits, H2 alone lost the last commit of %d copies, %d recovered%n", commits, lostByH2Alone, recovered);
        // the load did reproduce H2's loss, so the recovery was tested against it
        assertThat(lostByH2Alone).as("copies H2 alone reopened without their last commit, of " + commits).isGreaterThanOrEqualTo(1);
        assertThat(recovered).isGreaterThanOrEqualTo(lostByH2Alone);
    }

    @Test
    void aCleanlyClosedFileIsLeftAlone() throws Exception {
        Path db = dir.resolve("clean");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE", "sa", "")) {
            createEventLog(c);
        }
        Path file = dir.resolve("clean.mv.db");
        long modified = Files.getLastModifiedTime(file).toMillis();
        assertThat(CrashRecovery.closedCleanly(file)).isTrue();
        CrashRecovery.Outcome outcome = CrashRecovery.recover(file);
        assertThat(outcome.closedCleanly()).isTrue();
        assertThat(outcome.recovered()).isFalse();
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
        assertThat(CrashRecovery.recover(dir.resolve("absent.mv.db")).recovered()).isFalse();
    }

    @Test
    void anOpenFileIsNotCleanAndNeedsNothingWhenH2FindsItsLastCommit() throws Exception {
        Path db = dir.resolve("open");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0", "sa", "")) {
            createEventLog(c);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events VALUES (1, 'ns', 'k', 'v', 'id-1')");
            }
            Path copy = dir.resolve("copy");
            Files.createDirectories(copy);
            Files.copy(dir.resolve("open.mv.db"), copy.resolve("db.mv.db"));
            assertThat(CrashRecovery.closedCleanly(copy.resolve("db.mv.db"))).isFalse();
            CrashRecovery.Outcome outcome = CrashRecovery.recover(copy.resolve("db.mv.db"));
            assertThat(outcome.closedCleanly()).isFalse();
            assertThat(outcome.recovered()).isFalse();
            assertThat(outcome.newestVersion()).isEqualTo(outcome.normalOpenVersion());
            assertThat(lastVersionOpeningAsH2Does(copy)).isEqualTo(1);
        }
    }

    private static void createEventLog(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (version BIGINT PRIMARY KEY, namespace VARCHAR(128) NOT NULL, event_key VARCHAR(255) NOT NULL,"
                    + " event_value MEDIUMTEXT NOT NULL, idempotency_key VARCHAR(128), CONSTRAINT events_idempotency UNIQUE (idempotency_key))");
            s.execute("CREATE INDEX events_by_key ON events (namespace, event_key, version)");
        }
    }

    /** The MVStore version the live database last wrote (H2's internals: only a test may look there). */
    private static long storedVersion(Connection c) throws SQLException {
        org.h2.engine.SessionLocal session = (org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore().getCurrentVersion();
    }

    /** The highest event version a plain JDBC open of {@code dir/db} sees (0 for none). */
    private static long lastVersionOpeningAsH2Does(Path dir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE", "sa", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM events")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var files = Files.walk(p)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }
}
