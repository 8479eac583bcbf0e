package org.aiflow.storage.h2;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an H2 file written with {@code WRITE_DELAY=0} the housekeeping H2 does only in its
 * background writer, which {@code WRITE_DELAY=0} turns off: rewriting the live pages of chunks
 * that are mostly dead and moving chunks to shrink the file.
 *
 * <p>Why: every commit writes a chunk with the changed pages of each index; those pages are soon
 * replaced, but a chunk is freed only when all its pages are, and without the background writer
 * nothing rewrites the few live pages of the old ones. Measured: 100,000 events of 100 bytes in
 * batches of 16 left a 457 MB file (4.6 KB an event), most chunks 4-7% live.
 *
 * <p>Why not a delay instead: with {@code WRITE_DELAY} above 0, H2 acknowledges a commit before
 * writing it, and a commit that finds another store in progress returns without waiting for it.
 *
 * <p>What: each step forces the file to disk ({@code fsync}), rewrites the live pages of old
 * chunks while the chunks are less than {@value #TARGET_FILL_RATE}% live, and runs H2's own
 * background step (which moves chunks to shrink the file once allocation found it fragmented).
 * Chunks no longer needed may be overwritten once older than the database's {@code RETENTION_TIME},
 * set to several steps: as each step forced the file to disk, a power loss still finds a complete
 * older version in the file.
 *
 * <p>How: H2 has no public call for its own step, and its engine packages are not exported to OSGi; this
 * reaches the store through the connection's session by reflection and runs the file store's own
 * background step ({@code writeInBackground}: a store of anything unsaved, then
 * {@code doHousekeeping}) on a thread of its own, as H2's writer would. If H2's internals change,
 * {@link #start} fails and the caller logs it; the tests run against the H2 version the features ship.
 */
final class Housekeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
    /** Rewrite the live pages of old chunks while less than this percentage of the chunks' bytes is live. */
    static final int TARGET_FILL_RATE = 80;
    /**
     * At most this much live data rewritten per step. Not what bounds the file: 4 MB and 16 MB gave
     * the same file (1.65-1.68 KB an event at 11,000 events/s with chunks kept 2 s); chunks younger
     * than the retention time are never rewritten, so that time times the write rate is.
     */
    static final int REWRITE_BYTES_PER_STEP = 16 << 20;

    private final MVStore store;
    private final Method step;
    private final ScheduledExecutorService thread;

    private Housekeeper(MVStore store, Method step, long periodMillis) {
        this.store = store;
        this.step = step;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aiflow-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::runOnce, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts housekeeping of the database behind {@code dataSource} every {@code periodMillis}. */
    static Housekeeper start(DataSource dataSource, long periodMillis) throws SQLException, ReflectiveOperationException {
        MVStore store = storeOf(dataSource);
        Method step = FileStore.class.getDeclaredMethod("writeInBackground");
        step.setAccessible(true);
        return new Housekeeper(store, step, periodMillis);
    }

    /** The MVStore of the database that {@code dataSource}'s connections belong to. */
    static MVStore storeOf(DataSource dataSource) throws SQLException, ReflectiveOperationException {
        try (Connection c = dataSource.getConnection()) {
            JdbcConnection h2 = c.unwrap(JdbcConnection.class);
            Object session = h2.getClass().getMethod("getSession").invoke(h2);
            Object database = session.getClass().getMethod("getDatabase").invoke(session);
            Object h2Store = database.getClass().getMethod("getStore").invoke(database);
            return (MVStore) h2Store.getClass().getMethod("getMvStore").invoke(h2Store);
        }
    }

    /** One housekeeping step now (the scheduled ones call this too). */
    void runOnce() {
        try {
            if (!store.isClosed()) {
                // everything committed so far survives a power loss from here on: the retention time
                // (a few of these periods) may then let H2 overwrite the chunks it no longer needs
                store.sync();
                if (store.getFileStore().getChunksFillRate() < TARGET_FILL_RATE) {
                    store.compact(TARGET_FILL_RATE, REWRITE_BYTES_PER_STEP);
                }
                step.invoke(store.getFileStore()); // H2's own step: moves chunks to shrink the file when it is fragmented
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("H2 housekeeping failed; the file may grow until the next start", e);
        }
    }

    MVStore store() {
        return store;
    }

    /**
     * Lets a housekeeping step under way finish, then stops. Not {@code shutdownNow}: interrupting
     * the thread while H2 writes through it closes H2's {@code FileChannel}
     * ({@code ClosedByInterruptException}), and the store then fails every write, the close's
     * {@code SHUTDOWN COMPACT} included (seen in CI: "Writing to FileChannelImpl failed", the file
     * kept its 33 MB).
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
