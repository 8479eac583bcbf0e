package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that lets one node at a time migrate a database: held from before the version table is
 * read until the last script is recorded, so a node that starts together with another waits, then
 * finds every version applied and does nothing.
 *
 * <p>It is a transaction-scoped lock on a connection of its own, released by that transaction's
 * end: by {@link #close()}, or by the database when the node dies with it (no stale lock to clear
 * by hand). Its own connection, because the migrating connection's DDL commits on MariaDB and H2,
 * which would end the lock's transaction. On PostgreSQL it is an advisory lock
 * ({@code pg_advisory_xact_lock}) on this schema's name: no table is needed, so two nodes never race
 * to create one (concurrent {@code CREATE TABLE IF NOT EXISTS} can fail there). On MariaDB and H2
 * it is the row of {@code aiflow_schema_lock} taken with {@code SELECT ... FOR UPDATE WAIT n}; both
 * create that table with its row safely side by side ({@code CREATE TABLE IF NOT EXISTS ... AS SELECT}).
 * An embedded H2 file has one process, but AUTO_SERVER and TCP connections share it, and in-process
 * pools can overlap, so it takes the same lock.
 */
final class MigrationLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationLock.class);
    /** The advisory lock's first key on PostgreSQL ("AIFM"); the second is the hash of the schema's name. */
    private static final int ADVISORY_KEY = 0x4149464d;

    private final Connection connection;
    private final boolean autoCommit;

    private MigrationLock(Connection connection, boolean autoCommit) {
        this.connection = connection;
        this.autoCommit = autoCommit;
    }

    /**
     * Waits at most {@code timeout} for the lock of the database behind {@code dataSource}.
     *
     * @throws SchemaMigrationException ({@link SchemaMigrationException#LOCK_TIMEOUT}) if another node held it all that time
     */
    static MigrationLock acquire(DataSource dataSource, String databaseId, Duration timeout) throws SQLException {
        Connection c = dataSource.getConnection();
        boolean autoCommit;
        try {
            autoCommit = c.getAutoCommit();
            if (!"postgresql".equals(databaseId)) {
                createLockRow(c);
            }
            c.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            close(c, e);
            throw e;
        }
        long started = System.nanoTime();
        try {
            if ("postgresql".equals(databaseId)) {
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT set_config('lock_timeout', ?, true), pg_advisory_xact_lock(?, hashtext(current_schema()))")) {
                    p.setString(1, Math.max(1, timeout.toMillis()) + "ms");
                    p.setInt(2, ADVISORY_KEY);
                    p.executeQuery().close();
                }
            } else {
                // another node's CREATE TABLE ... AS SELECT can show the table before its row (seen on H2 in CI:
                // "the row of aiflow_schema_lock is missing" for the second of two nodes started together):
                // look again until the row is there, within the timeout
                long deadline = started + timeout.toNanos();
                while (!lockRow(c, timeout)) {
                    c.rollback();
                    if (System.nanoTime() > deadline) {
                        throw new SQLException("the row of aiflow_schema_lock is missing");
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
        } catch (SQLException e) {
            SQLException failure = e;
            try {
                c.rollback();
                c.setAutoCommit(autoCommit);
            } catch (SQLException r) {
                failure.addSuppressed(r);
            }
            close(c, failure);
            if (isLockTimeout(e)) {
                throw new SchemaMigrationException(SchemaMigrationException.LOCK_TIMEOUT, "another node is migrating the schema"
                        + " of this database: its migration lock (" + ("postgresql".equals(databaseId)
                                ? "a PostgreSQL advisory lock on this schema" : "the row of aiflow_schema_lock")
                        + ") was not free within " + timeout.toSeconds() + " s. Start this node again when the other one has finished"
                        + " (see its log), or wait longer (system property " + SchemaMigrator.LOCK_TIMEOUT_PROPERTY + ", seconds)", e);
            }
            throw failure;
        }
        long waited = (System.nanoTime() - started) / 1_000_000;
        if (waited > 1000) {
            LOG.info("Waited {} ms for the schema migration lock (another node was migrating)", waited);
        }
        return new MigrationLock(c, autoCommit);
    }

    /** Locks the lock table's row ({@code FOR UPDATE WAIT}); false if the row is not there (yet). */
    private static boolean lockRow(Connection c, Duration timeout) throws SQLException {
        // WAIT takes whole seconds; a statement parameter is not allowed there, so the number is formatted in
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM aiflow_schema_lock WHERE id = 1 FOR UPDATE WAIT "
                     + Math.max(1, (timeout.toMillis() + 999) / 1000))) {
            return rs.next();
        }
    }

    /**
     * On MariaDB and H2: the lock table with its one row, created in one statement by whichever
     * node comes first. Not a separate {@code INSERT IGNORE}: on a row another node has locked that
     * would wait for the lock (its duplicate-key check reads the row with a lock).
     */
    private static void createLockRow(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS aiflow_schema_lock (id INT NOT NULL PRIMARY KEY)"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin AS SELECT 1 AS id");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** H2's "Timeout trying to lock table", MariaDB's "Lock wait timeout exceeded", PostgreSQL's lock_not_available. */
    static boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == 50200 || e.getErrorCode() == 1205 || "55P03".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState());
    }

    /** Ends the lock's transaction, which releases the lock. */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        } finally {
            connection.close();
        }
    }

    private static void close(Connection c, Exception failure) {
        try {
            c.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
