package org.aiflow.storage.h2;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;


/**
 * The embedded default store's database ({@link EmbeddedH2}: one H2 file, brought back to its last
 * commit if the platform was killed before anything opens it, pooled, kept small) as the
 * {@code DataSource} with {@code dataSourceName=aiflow-h2} that the storage bundle selects by
 * default. Deactivation closes it cleanly, so the next start skips recovery.
 *
 * <p>Owned here rather than by a pax-jdbc-config factory configuration because the recovery has
 * to run before the first connection, and such a pool opens its first connection as it is created.
 */
@Component(service = DataSource.class, immediate = true, configurationPid = EmbeddedH2DataSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "dataSourceName=" + EmbeddedH2DataSource.NAME)
@Designate(ocd = EmbeddedH2DataSource.Config.class)
public class EmbeddedH2DataSource implements DataSource {
    static final String PID = "org.aiflow.storage.h2";
    static final String NAME = "aiflow-h2";

    @ObjectClassDefinition(name = "AI Flow embedded H2 database")
    public @interface Config {
        @AttributeDefinition(description = "The database file without its .mv.db suffix; empty: ${karaf.data}/aiflow/h2/aiflow")
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

    @Activate
    void activate(Config config) throws IOException, SQLException {
        database = EmbeddedH2.open(databaseFile(config.file(), System.getProperty("karaf.data")),
                new EmbeddedH2.Settings(config.maximumPoolSize(), config.housekeepingMillis(), config.retentionMillis(), config.urlOptions(), config.compactOnStop()));
    }

    @Deactivate
    void deactivate() {
        EmbeddedH2 d = database;
        database = null;
        if (d != null) {
            d.close();
        }
    }

    /** {@code configured}, or {@code <karaf.data>/aiflow/h2/aiflow} (relative {@code data/} outside Karaf). */
    static Path databaseFile(String configured, String karafData) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim()).toAbsolutePath();
        }
        return Paths.get(karafData == null || karafData.isBlank() ? "data" : karafData, "aiflow", "h2", "aiflow").toAbsolutePath();
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
