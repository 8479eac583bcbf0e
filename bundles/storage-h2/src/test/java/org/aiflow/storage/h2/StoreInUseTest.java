package org.aiflow.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second open of a file that is held open fails, and the failure is recognised as "in use" and
 * turned into the reason {@code /health/ready} and the log give. Within one JVM H2's JDBC open of the
 * same URL shares the open database (no refusal), so the file is held here by a direct MVStore open,
 * which takes the same file lock another process's H2 takes; the JDBC refusal (90020) is checked on
 * H2's own exception.
 */
class StoreInUseTest {
    private static final EmbeddedH2.Settings SETTINGS = new EmbeddedH2.Settings(2, 0, 200, "", false);

    @TempDir
    Path dir;

    @Test
    void aSecondOpenOfAHeldFileIsRecognisedAsInUse() throws Exception {
        Path base = dir.resolve("db");
        try (EmbeddedH2 db = EmbeddedH2.open(base, SETTINGS); Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INT)"); // the header is no longer clean: the next open runs crash recovery first
            c.commit();
        }
        // held "by another process": the first open above closed; hold the file with H2's own lock
        MVStore holder = new MVStore.Builder().fileName(base + ".mv.db").open();
        try {
            assertThat(CrashRecovery.closedCleanly(Path.of(base + ".mv.db"))).isTrue();
            assertThatThrownBy(() -> EmbeddedH2.open(base, SETTINGS).close()) // H2's JDBC open: 90020 inside HikariCP's exception
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SQLException.class)
                            .extracting(c -> ((SQLException) c).getErrorCode()).isEqualTo(90020))
                    .satisfies(e -> assertThat(StoreInUse.isInUse(e)).as("in use: %s", e).isTrue());
        } finally {
            holder.close();
        }
        // held by a writer that has committed: the header is not clean, so the open fails in crash recovery's MVStore open
        holder = new MVStore.Builder().fileName(base + ".mv.db").open();
        try {
            holder.openMap("held").put(1, 1);
            holder.commit();
            assertThat(CrashRecovery.closedCleanly(Path.of(base + ".mv.db"))).isFalse();
            assertThatThrownBy(() -> EmbeddedH2.open(base, SETTINGS).close())
                    .isInstanceOf(org.h2.mvstore.MVStoreException.class)
                    .satisfies(e -> assertThat(StoreInUse.isInUse(e)).as("in use: %s", e).isTrue());
        } finally {
            holder.close();
        }
        // free again: opens
        try (EmbeddedH2 db = EmbeddedH2.open(base, SETTINGS); Connection c = db.dataSource().getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void h2sJdbcRefusalIsRecognisedThroughHikari() {
        SQLException h2 = org.h2.message.DbException.getJdbcSQLException(StoreInUse.DATABASE_ALREADY_OPEN, null, "", "/x/db.mv.db");
        assertThat(h2.getErrorCode()).isEqualTo(90020);
        assertThat(h2.getMessage()).contains("Database may be already in use");
        assertThat(StoreInUse.isInUse(new RuntimeException("Failed to initialize pool", h2))).isTrue();
        assertThat(StoreInUse.isInUse(new SQLException("Wrong user name or password", "28000", 28000))).isFalse();
        assertThat(StoreInUse.isInUse(new java.io.IOException("disk full"))).isFalse();
    }

    @Test
    void theReasonNamesTheFileAndTheWaysOut() {
        assertThat(StoreInUse.reason(Path.of("/data/aiflow/h2/aiflow.mv.db")))
                .contains("the embedded H2 store /data/aiflow/h2/aiflow.mv.db is in use by another AI Flow process")
                .contains("H2 is single-node").contains("its own data directory").contains("docs/operations.md#mariadb");
    }
}
