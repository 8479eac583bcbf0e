package org.aiflow.storage.h2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The embedded H2 database as the platform runs it, usable without OSGi (tests, benchmarks):
 * the file recovered if a kill left it behind its last commit ({@link CrashRecovery}), a pool of
 * connections that commit explicitly, and the housekeeping that keeps the file small and forced
 * to disk ({@link Housekeeper}). Closing stops the housekeeping and closes the pool; with its last
 * connection H2 closes the file cleanly, so the next open skips recovery.
 */
public final class EmbeddedH2 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedH2.class);

    /**
     * How the database is run.
     *
     * @param maximumPoolSize    largest number of pooled connections
     * @param housekeepingMillis period of the housekeeping step (0: none, H2 alone: the file grows)
     * @param retentionMillis    H2's {@code RETENTION_TIME}: how long a chunk no longer needed stays untouched
     * @param urlOptions         further H2 settings appended to the URL (e.g. {@code ;CACHE_SIZE=65536})
     * @param compactOnClose     whether closing rewrites the file with only its live data ({@code SHUTDOWN COMPACT})
     */
    public record Settings(int maximumPoolSize, long housekeepingMillis, int retentionMillis, String urlOptions, boolean compactOnClose) {
        /** The platform's: 20 connections, a step every 250 ms, chunks kept 1 s (4 steps, each forced to disk). Measured (benchmarks/run.sh storage): 885 bytes an event; chunks kept 2 s: 1,678. */
        public static final Settings DEFAULT = new Settings(20, 250, 1000, "", true);
    }

    private final Path file;
    private final HikariDataSource pool;
    private final Housekeeper housekeeper;
    private final CrashRecovery.Outcome recovery;
    private final boolean compactOnClose;

    private EmbeddedH2(Path file, HikariDataSource pool, Housekeeper housekeeper, CrashRecovery.Outcome recovery, boolean compactOnClose) {
        this.compactOnClose = compactOnClose;
        this.file = file;
        this.pool = pool;
        this.housekeeper = housekeeper;
        this.recovery = recovery;
    }

    /** Opens (creating it if needed) the database whose file is {@code file} plus {@code .mv.db}. */
    public static EmbeddedH2 open(Path file, Settings settings) throws IOException, SQLException {
        Path base = file.toAbsolutePath();
        Files.createDirectories(base.getParent());
        Path mvDb = Paths.get(base + ".mv.db");
        CrashRecovery.Outcome recovery = CrashRecovery.recover(mvDb);
        if (!recovery.closedCleanly()) {
            LOG.warn(recovery.describe(mvDb));
        }
        HikariDataSource pool = new HikariDataSource(poolConfig(base, settings));
        Housekeeper housekeeper = null;
        if (settings.housekeepingMillis() > 0) {
            try {
                housekeeper = Housekeeper.start(pool, settings.housekeepingMillis());
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("H2 housekeeping is not available with this H2 version; the file will grow until the next start", e);
            }
        }
        return new EmbeddedH2(base, pool, housekeeper, recovery, settings.compactOnClose());
    }

    /**
     * The URL of the file: MariaDB mode so one set of mappers serves both backends; WRITE_DELAY=0 so
     * a commit is in the file before it returns (and so before it is acknowledged).
     */
    static String url(Path file, Settings settings) {
        return "jdbc:h2:file:" + file + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;RETENTION_TIME="
                + Math.max(0, settings.retentionMillis()) + (settings.urlOptions() == null ? "" : settings.urlOptions().trim());
    }

    private static HikariConfig poolConfig(Path file, Settings settings) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url(file, settings));
        h2.setUser("sa");
        h2.setPassword("");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("aiflow-h2");
        hikari.setDataSource(h2);
        // the stores commit explicitly: no round trip toggles autocommit per transaction
        hikari.setAutoCommit(false);
        hikari.setMaximumPoolSize(Math.max(1, settings.maximumPoolSize()));
        // one connection always open keeps the database open between bursts (H2 closes it with the last one)
        hikari.setMinimumIdle(1);
        // MBeans com.zaxxer.hikari:type=Pool (aiflow-h2): the metrics bundle reads the pool through them
        hikari.setRegisterMbeans(true);
        return hikari;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The database file ({@code .mv.db}). */
    public Path mvDbFile() {
        return Paths.get(file + ".mv.db");
    }

    /** What the open found: whether the file had been closed cleanly and whether it was recovered. */
    public String recoveryReport() {
        return recovery.describe(mvDbFile());
    }

    boolean recovered() {
        return recovery.recovered();
    }

    /** Runs one housekeeping step now (tests and benchmarks settle the file with it). */
    public void housekeepNow() {
        if (housekeeper != null) {
            housekeeper.runOnce();
        }
    }

    /**
     * Stops the housekeeping, then closes the database: with {@code compactOnClose}, by
     * {@code SHUTDOWN COMPACT}, which copies the live data into a new file and replaces the old one
     * with it. Online housekeeping cannot give back all the space deleted rows held (measured: after
     * deleting 90% of 20,000 events the chunks stayed 4-5% live and H2's rewrite found none it could
     * move; the freed space inside the file is used again by new events); the copy does (26 MB to 1 MB).
     * A kill during the copy leaves the old file as it was.
     */
    @Override
    public void close() {
        if (housekeeper != null) {
            housekeeper.close();
        }
        if (compactOnClose) {
            long began = System.nanoTime();
            Connection c = null;
            try {
                c = pool.getConnection();
                try (Statement s = c.createStatement()) {
                    long before = Files.size(mvDbFile());
                    s.execute("SHUTDOWN COMPACT");
                    LOG.info("H2 file compacted at close from {} to {} bytes in {} ms", before, Files.size(mvDbFile()),
                            (System.nanoTime() - began) / 1_000_000);
                }
            } catch (SQLException | IOException e) {
                LOG.warn("H2 compaction at close failed; the file keeps its size until the next close", e);
            } finally {
                closeQuietly(c);
            }
        }
        pool.close();
    }

    /**
     * After {@code SHUTDOWN COMPACT} the database is closed, so HikariCP's rollback as the connection
     * goes back fails ("Database is already closed", 90121): expected, not a failed compaction.
     */
    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the connection after SHUTDOWN COMPACT: {}", e.toString());
            }
        }
    }
}
