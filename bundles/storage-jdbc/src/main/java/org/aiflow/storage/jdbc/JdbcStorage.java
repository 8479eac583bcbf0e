package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Properties;
import java.util.function.Function;

import javax.sql.DataSource;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.MetadataStore;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.storage.jdbc.mapper.ArtifactMapper;
import org.aiflow.storage.jdbc.mapper.DatasetMapper;
import org.aiflow.storage.jdbc.mapper.LineageMapper;
import org.aiflow.storage.jdbc.mapper.MetricMapper;
import org.aiflow.storage.jdbc.mapper.ProjectMapper;
import org.aiflow.storage.jdbc.mapper.EventMapper;
import org.aiflow.storage.jdbc.mapper.ModelMapper;
import org.aiflow.storage.jdbc.mapper.SchedulerMapper;
import org.aiflow.storage.jdbc.mapper.SecurityMapper;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * The storage backend over one DataSource, usable with or without OSGi: migrates the schema, then
 * serves the stores through one MyBatis configuration with mappers registered by class.
 */
public final class JdbcStorage {
    private final SqlSessionFactory sessions;
    private final String backend;
    private final boolean exclusive;
    private final String url;
    private final MyBatisEventStore eventStore;
    private final MyBatisSchedulerStore schedulerStore;
    private final MyBatisMetadataStore metadataStore;
    private final MyBatisSecurityStore securityStore;

    private JdbcStorage(DataSource dataSource) throws SQLException {
        SchemaMigrator.migrate(dataSource);
        try (Connection c = dataSource.getConnection()) {
            this.backend = c.getMetaData().getDatabaseProductName();
            this.url = c.getMetaData().getURL();
            this.exclusive = isExclusive(backend, url);
        }
        this.sessions = buildSessionFactory(dataSource);
        this.eventStore = new MyBatisEventStore(this);
        this.schedulerStore = new MyBatisSchedulerStore(this, eventStore);
        this.metadataStore = new MyBatisMetadataStore(this, eventStore);
        this.securityStore = new MyBatisSecurityStore(this);
    }

    /**
     * Migrates the schema of {@code dataSource} if needed and returns the storage over it.
     *
     * @throws SQLException if the database is unreachable or a migration fails
     */
    public static JdbcStorage open(DataSource dataSource) throws SQLException {
        return new JdbcStorage(dataSource);
    }

    public EventStore eventStore() {
        return eventStore;
    }

    public SchedulerStore schedulerStore() {
        return schedulerStore;
    }

    public MetadataStore metadataStore() {
        return metadataStore;
    }

    public SecurityStore securityStore() {
        return securityStore;
    }

    /**
     * Whether no other process can write to the database: embedded H2 (in memory, or a file this
     * process holds the lock of), not H2 over TCP or with {@code AUTO_SERVER}, not a database server.
     * Only then may the stores keep records in memory (see {@link RecordCache}); that also assumes
     * this is the only storage open on the database in the process, as the platform opens one per
     * data source (a second one's writes would not reach the first one's records).
     */
    boolean exclusive() {
        return exclusive;
    }

    /** The database's JDBC URL as its driver reports it. */
    String url() {
        return url;
    }

    static boolean isExclusive(String backend, String url) {
        if (!"H2".equals(backend) || url == null) {
            return false;
        }
        String u = url.toLowerCase(java.util.Locale.ROOT);
        return !u.startsWith("jdbc:h2:tcp:") && !u.startsWith("jdbc:h2:ssl:") && !u.contains("auto_server=true");
    }

    /** Database product name, e.g. {@code H2} or {@code MariaDB}. */
    public String backend() {
        return backend;
    }

    private static SqlSessionFactory buildSessionFactory(DataSource dataSource) {
        // MyBatis resolves classes through the context class loader while it builds its configuration;
        // inside OSGi that must be this bundle's loader, and it must not be changed globally.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(JdbcStorage.class.getClassLoader());
        try {
            // pools should hand out connections with autocommit off (hikari.autoCommit=false): then no
            // round trip toggles it per transaction
            JdbcTransactionFactory transactions = new JdbcTransactionFactory();
            Properties options = new Properties();
            options.setProperty("skipSetAutoCommitOnClose", "true");
            transactions.setProperties(options);
            Configuration configuration = new Configuration(new Environment("aiflow", transactions, dataSource));
            configuration.setMapUnderscoreToCamelCase(true);
            configuration.setCacheEnabled(false);
            configuration.setLocalCacheScope(LocalCacheScope.STATEMENT);
            configuration.addMapper(EventMapper.class);
            configuration.addMapper(SchedulerMapper.class);
            configuration.addMapper(ModelMapper.class);
            configuration.addMapper(DatasetMapper.class);
            configuration.addMapper(ArtifactMapper.class);
            configuration.addMapper(ProjectMapper.class);
            configuration.addMapper(MetricMapper.class);
            configuration.addMapper(LineageMapper.class);
            configuration.addMapper(SecurityMapper.class);
            return new SqlSessionFactoryBuilder().build(configuration);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns normally, rolled back on any
     * exception. Database failures surface as {@link UnavailableException}; API errors pass through.
     */
    <T> T inTransaction(Function<SqlSession, T> work) {
        return inTransaction(ExecutorType.SIMPLE, work);
    }

    /**
     * As {@link #inTransaction(Function)}, with MyBatis' batch executor: inserts and updates are
     * sent as JDBC batches when the session flushes (at a select or at commit), so their update
     * counts are not available to {@code work}.
     */
    <T> T inBatchTransaction(Function<SqlSession, T> work) {
        return inTransaction(ExecutorType.BATCH, work);
    }

    private <T> T inTransaction(ExecutorType executor, Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(executor, false)) {
            try {
                T result = work.apply(session);
                session.commit(true);
                return result;
            } catch (RuntimeException e) {
                session.rollback(true);
                throw e;
            }
        } catch (AiflowException e) {
            throw e;
        } catch (PersistenceException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof SQLIntegrityConstraintViolationException
                    || (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23"))) {
                // a concurrent writer got there first (e.g. the same name created twice at once)
                throw new ConflictException("already exists or was changed concurrently: " + cause.getMessage());
            }
            throw new UnavailableException("storage (" + backend + ") failed: " + cause.getMessage(), e);
        }
    }
}
