package org.aiflow.storage.h2;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.LoggerFactory;


/**
 * The embedded default store's database ({@link EmbeddedH2}: one H2 file, brought back to its last
 * commit if the platform was killed before anything opens it, pooled, kept small) as the
 * {@code DataSource} with {@code dataSourceName=aiflow-h2} that the storage bundle selects by
 * default. Deactivation closes it cleanly, so the next start skips recovery.
 *
 * <p>Owned here rather than by a pax-jdbc-config factory configuration because the recovery has
 * to run before the first connection, and such a pool opens its first connection as it is created.
 *
 * <p>H2 is single-node: if another process (a second platform pointed at the same file) holds the
 * file, the DataSource is not registered; this component then gives {@code /health/ready} the reason
 * ({@link StoreInUse}, as an {@code aiflow.unavailable.reason=storage} supplier), logs it once as
 * an ERROR, and tries again every {@link #RETRY_SECONDS} s quietly, so the node becomes ready by
 * itself once the other process stops (a restart whose old process is still closing the file, or a
 * standby). Other failures to open fail the activation, as before.
 *
 * <p>The reason supplier is registered by hand, not as this component's DS service: DS holds a
 * component's lock while it activates (opening the file, recovery included) or deactivates
 * ({@code SHUTDOWN COMPACT}), and a {@code /health/ready} poll asking a DS service for it then
 * waits 5 s and fails with "Could not obtain lock", which Felix logs as an ERROR (seen on a fresh
 * start under load). A plain registered object has no lock.
 */
@Component(service = {}, immediate = true, configurationPid = EmbeddedH2DataSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EmbeddedH2DataSource.Config.class)
public class EmbeddedH2DataSource implements DataSource, Supplier<String> {
    static final String PID = "org.aiflow.storage.h2";
    static final String NAME = "aiflow-h2";
    static final long RETRY_SECONDS = 2;
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(EmbeddedH2DataSource.class);

    @ObjectClassDefinition(name = "AI Flow embedded H2 database")
    public @interface Config {
        @AttributeDefinition(description = "The database file without its .mv.db suffix; empty: <data>/aiflow/h2/aiflow, <data> being the system property aiflow.data, else karaf.data, else <java.io.tmpdir>/aiflow-data")
        String file() default "";

        @AttributeDefinition(description = "Largest number of pooled connections")
        int maximumPoolSize() default 20;

        @AttributeDefinition(description = "Milliseconds between housekeeping steps (forcing the file to disk, compaction); 0: none")
        long housekeepingMillis() default 250;

        @AttributeDefinition(description = "H2 RETENTION_TIME: milliseconds a chunk no longer needed stays untouched")
        int retentionMillis() default 1000;

        @AttributeDefinition(description = "Whether a stop rewrites the file with only its live data (SHUTDOWN COMPACT)")
        boolean compactOnStop() default true;

        @AttributeDefinition(description = "Further H2 settings appended to the URL, e.g. ;CACHE_SIZE=65536")
        String urlOptions() default "";
    }

    private volatile EmbeddedH2 database;
    /** Why the DataSource is not there; null when it is (or before the first try). */
    private volatile String unavailable;
    private BundleContext context;
    private ServiceRegistration<DataSource> registration;
    @SuppressWarnings("rawtypes")
    private ServiceRegistration<Supplier> reasonRegistration;
    private ScheduledExecutorService retries;
    private boolean deactivated;

    @Activate
    void activate(BundleContext context, Config config) throws IOException, SQLException {
        this.context = context;
        Dictionary<String, Object> reasonProps = new Hashtable<>();
        reasonProps.put("aiflow.unavailable.reason", "storage");
        reasonProps.put(Constants.SERVICE_RANKING, 100);
        reasonRegistration = context.registerService(Supplier.class, this, reasonProps);
        Path file = databaseFile(config.file(), config.file().isBlank() ? DataDirectory.root().toString() : null);
        EmbeddedH2.Settings settings = new EmbeddedH2.Settings(config.maximumPoolSize(), config.housekeepingMillis(),
                config.retentionMillis(), config.urlOptions(), config.compactOnStop());
        Opener opener = new Opener(file, settings);
        try {
            publish(EmbeddedH2.open(file, settings));
        } catch (IOException | SQLException | RuntimeException e) {
            if (!StoreInUse.isInUse(e)) {
                reasonRegistration.unregister(); // DS will not call deactivate after a failed activate
                reasonRegistration = null;
                throw e;
            }
            unavailable = StoreInUse.reason(opener.mvDb());
            LOG.error("{} (retrying every {} s)", unavailable, RETRY_SECONDS);
            synchronized (this) {
                retries = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "aiflow-h2-wait-for-file");
                    t.setDaemon(true);
                    return t;
                });
                retries.scheduleWithFixedDelay(opener, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** One more try to open a file another process held. */
    private final class Opener implements Runnable {
        private final Path file;
        private final EmbeddedH2.Settings settings;
        private final long began = System.nanoTime();

        Opener(Path file, EmbeddedH2.Settings settings) {
            this.file = file;
            this.settings = settings;
        }

        Path mvDb() {
            return Paths.get(file + ".mv.db");
        }

        @Override
        public void run() {
            try {
                EmbeddedH2 d = EmbeddedH2.open(file, settings);
                if (publish(d)) {
                    LOG.info("the embedded H2 store {} is free now: opened after waiting {} s", mvDb(), (System.nanoTime() - began) / 1_000_000_000L);
                }
                stopRetrying();
            } catch (IOException | SQLException | RuntimeException e) {
                if (StoreInUse.isInUse(e)) {
                    LOG.debug("the embedded H2 store {} is still in use by another process", mvDb());
                    return;
                }
                unavailable = "storage unavailable: the embedded H2 store " + mvDb() + " could not be opened: " + e + " (see data/log/karaf.log)";
                LOG.error("the embedded H2 store {} could not be opened; no more tries until a restart of the bundle or a new configuration", mvDb(), e);
                stopRetrying();
            }
        }
    }

    private synchronized void stopRetrying() {
        if (retries != null) {
            retries.shutdown();
            retries = null;
        }
    }

    /** Registers the DataSource on {@code d}; false (and {@code d} closed) if this component is gone meanwhile. */
    private boolean publish(EmbeddedH2 d) {
        synchronized (this) {
            if (!deactivated) {
                database = d;
                unavailable = null;
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("dataSourceName", NAME);
                registration = context.registerService(DataSource.class, this, props);
                return true;
            }
        }
        d.close();
        return false;
    }

    /** Why the DataSource is not registered (for {@code /health/ready}); null when it is. */
    @Override
    public String get() {
        return unavailable;
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService r;
        synchronized (this) {
            deactivated = true;
            r = retries;
            retries = null;
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
                registration = null;
            }
            if (reasonRegistration != null) {
                try {
                    reasonRegistration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
                reasonRegistration = null;
            }
        }
        if (r != null) {
            r.shutdownNow();
            try {
                r.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        EmbeddedH2 d = database;
        database = null;
        if (d != null) {
            d.close();
        }
    }

    /** {@code configured}, or {@code <dataRoot>/aiflow/h2/aiflow}; the root is {@link DataDirectory#root()} in use. */
    static Path databaseFile(String configured, String dataRoot) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim()).toAbsolutePath();
        }
        return Paths.get(dataRoot, "aiflow", "h2", "aiflow").toAbsolutePath();
    }

    private DataSource pool() throws SQLException {
        EmbeddedH2 d = database;
        if (d == null) {
            throw new SQLException("the embedded H2 database is closed", "08003");
        }
        return d.dataSource();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool().isWrapperFor(type);
    }
}
