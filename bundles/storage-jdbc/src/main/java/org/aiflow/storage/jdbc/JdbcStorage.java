package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import javax.sql.DataSource;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.FencedException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.MetadataStore;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.storage.jdbc.mapper.ArtifactMapper;
import org.aiflow.storage.jdbc.mapper.ClusterMapper;
import org.aiflow.storage.jdbc.mapper.Rows.LeaseRow;
import org.aiflow.storage.jdbc.mapper.DatasetMapper;
import org.aiflow.storage.jdbc.mapper.LineageMapper;
import org.aiflow.storage.jdbc.mapper.MetricMapper;
import org.aiflow.storage.jdbc.mapper.ProjectMapper;
import org.aiflow.storage.jdbc.mapper.EventMapper;
import org.aiflow.storage.jdbc.mapper.ModelMapper;
import org.aiflow.storage.jdbc.mapper.SchedulerMapper;
import org.aiflow.storage.jdbc.mapper.SecurityMapper;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.VendorDatabaseIdProvider;
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
    private final String databaseId;
    private final boolean exclusive;
    private final String url;
    private final MyBatisEventStore eventStore;
    private final MyBatisSchedulerStore schedulerStore;
    private final MyBatisMetadataStore metadataStore;
    private final MyBatisSecurityStore securityStore;
    private final MyBatisClusterStore clusterStore;

    private JdbcStorage(DataSource dataSource) throws SQLException {
        SchemaMigrator.migrate(dataSource);
        try (Connection c = dataSource.getConnection()) {
            this.backend = c.getMetaData().getDatabaseProductName();
            this.url = c.getMetaData().getURL();
            this.exclusive = isExclusive(backend, url);
        }
        this.databaseId = databaseId(dataSource);
        this.sessions = buildSessionFactory(dataSource, databaseId);
        this.eventStore = new MyBatisEventStore(this);
        this.schedulerStore = new MyBatisSchedulerStore(this, eventStore);
        this.metadataStore = new MyBatisMetadataStore(this, eventStore);
        this.securityStore = new MyBatisSecurityStore(this);
        this.clusterStore = new MyBatisClusterStore(this);
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

    /** Leases, node heartbeats and commands for the leader: how nodes sharing this database elect one scheduling leader and reach it. */
    public ClusterStore clusterStore() {
        return clusterStore;
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

    /** Database product name, e.g. {@code H2}, {@code MariaDB} or {@code PostgreSQL}. */
    public String backend() {
        return backend;
    }

    /**
     * The MyBatis databaseIds of the databases whose SQL differs somewhere, by the product name their
     * drivers report: a mapper statement with {@code databaseId = "postgresql"} replaces the one without
     * on PostgreSQL. The statements without one are the common form (H2 in {@code MODE=MariaDB} and
     * MariaDB); so is every statement on a database not named here.
     */
    static final Map<String, String> DATABASE_IDS = Map.of("MariaDB", "mariadb", "MySQL", "mysql", "H2", "h2",
            "PostgreSQL", "postgresql");

    /** This database's MyBatis databaseId (see {@link #DATABASE_IDS}), null if it has none. */
    String databaseId() {
        return databaseId;
    }

    static String databaseId(DataSource dataSource) throws SQLException {
        VendorDatabaseIdProvider provider = new VendorDatabaseIdProvider();
        Properties ids = new Properties();
        ids.putAll(DATABASE_IDS);
        provider.setProperties(ids);
        return provider.getDatabaseId(dataSource);
    }

    private static SqlSessionFactory buildSessionFactory(DataSource dataSource, String databaseId) {
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
            configuration.setDatabaseId(databaseId); // before the mappers: it picks their statements' forms
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
            configuration.addMapper(ClusterMapper.class);
            return new SqlSessionFactoryBuilder().build(configuration);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns normally, rolled back on any
     * exception. Database failures surface as {@link UnavailableException}; API errors pass through.
     * Within an {@linkplain #ambientTransaction ambient transaction} of this thread it runs in that
     * one instead and commits nothing; if it fails, that transaction can only roll back.
     */
    <T> T inTransaction(Function<SqlSession, T> work) {
        return inTransaction(ExecutorType.REUSE, work);
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
        AmbientTransaction joined = ambient.get();
        if (joined != null) {
            // SchedulerStore.inTransaction opened a transaction on this thread: join it, never commit
            try {
                return work.apply(joined.session);
            } catch (RuntimeException e) {
                RuntimeException translated = translate(e);
                joined.fail(translated);
                throw translated;
            }
        }
        try (SqlSession session = sessions.openSession(executor, false)) {
            try {
                T result = work.apply(session);
                session.commit(true);
                return result;
            } catch (RuntimeException e) {
                session.rollback(true);
                throw e;
            }
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    private final ThreadLocal<AmbientTransaction> ambient = new ThreadLocal<>();

    /** The transaction this thread joins, null if none. */
    AmbientTransaction ambient() {
        return ambient.get();
    }

    /**
     * Opens the transaction joined calls on this thread join (none may be open), checks the
     * {@code fence} first if any, runs {@code work}, and commits unless {@code work} or a joined
     * call failed. Database failures surface as {@link UnavailableException} (a fence that no longer
     * holds as {@link FencedException}); API errors pass through.
     */
    <T> T ambientTransaction(LeaderFence fence, Function<AmbientTransaction, T> work) {
        if (ambient.get() != null) {
            throw new IllegalStateException("a transaction is already open on this thread");
        }
        // REUSE: the many statements of a group commit are prepared (on H2: parsed) once per transaction
        try (SqlSession session = sessions.openSession(ExecutorType.REUSE, false)) {
            AmbientTransaction a = new AmbientTransaction(session, fence, session.getConfiguration());
            ambient.set(a);
            try {
                if (fence != null) {
                    checkFence(session, fence);
                }
                T result = work.apply(a);
                a.checkCommittable();
                a.flush();
                session.commit(true);
                return result;
            } catch (RuntimeException e) {
                session.rollback(true);
                throw e;
            } finally {
                ambient.remove();
                a.closeBatch();
            }
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * Reads the fence's lease row, locking it shared until the transaction ends (so a takeover's
     * update waits for this commit), and throws {@link FencedException} unless it is still held by
     * the fence's owner at its epoch. Only owner and epoch count: an expired lease nobody took is
     * still its holder's.
     */
    void checkFence(SqlSession session, LeaderFence fence) {
        ClusterMapper m = session.getMapper(ClusterMapper.class);
        LeaseRow row = sharedLocks() ? m.findLeaseShared(fence.lease()) : m.findLeaseForUpdate(fence.lease());
        if (row == null) {
            throw new FencedException("lease '" + fence.lease() + "' is not held by " + fence.owner() + " at epoch " + fence.epoch()
                    + ": it was never taken");
        }
        if (!fence.owner().equals(row.owner) || fence.epoch() != row.epoch) {
            throw new FencedException("lease '" + fence.lease() + "' is not held by " + fence.owner() + " at epoch " + fence.epoch()
                    + " any more: it is held by " + row.owner + " at epoch " + row.epoch + "; nothing was committed");
        }
    }

    /**
     * Whether the database locks a read row shared ({@code LOCK IN SHARE MODE} on MariaDB and MySQL,
     * {@code FOR SHARE} on PostgreSQL); H2 locks a read row with {@code FOR UPDATE}.
     */
    boolean sharedLocks() {
        return "mariadb".equals(databaseId) || "mysql".equals(databaseId) || "postgresql".equals(databaseId);
    }

    private RuntimeException translate(RuntimeException e) {
        if (e instanceof AiflowException) {
            return e;
        }
        if (e instanceof PersistenceException) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (isDuplicate(cause)) {
                // a concurrent writer got there first (e.g. the same name created twice at once)
                return new ConflictException("already exists or was changed concurrently: " + cause.getMessage());
            }
            return new UnavailableException("storage (" + backend + ") failed: " + cause.getMessage(), e);
        }
        return e;
    }

    /** Whether {@code cause} is a violated key or constraint (SQL state class 23). */
    static boolean isDuplicate(Throwable cause) {
        return cause instanceof SQLIntegrityConstraintViolationException
                || (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23"));
    }
}
