package org.aiflow.storage.jdbc;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.MetadataStore;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC {@link StorageBackend}: all stores of one {@link JdbcStorage} over the DataSource selected
 * by {@code dataSource.target} in {@code etc/org.aiflow.storage.jdbc.cfg}, as one service declared to
 * DS. Changing that filter (e.g. from the H2 to the MariaDB DataSource) re-activates this component on
 * the new DataSource; the core services, which reference the backend statically, are re-created on it.
 *
 * <p>One service, not one per store: the scheduler sees the {@link ClusterStore} together with its
 * {@link SchedulerStore} or neither. When the stores were five services it had to be registered first
 * and unregistered last, since a scheduler that found a SchedulerStore but no ClusterStore led alone,
 * unfenced, on a database other nodes share (ClusterFailoverIT saw events decided twice); now there
 * is no order to keep.
 *
 * <p>Immediate, so the schema is migrated at start rather than at the first call. DS registers the
 * service of an immediate component before it activates it (Declarative Services 112.5.3), and a
 * consumer's {@code getService} waits for that activation: consumers never see a backend whose stores
 * are not open. If opening fails (the database refuses, a migration fails) Felix SCR leaves the
 * service registered but hands out no object; {@link StorageStatus} then reports the failure.
 */
@Component(configurationPid = "org.aiflow.storage.jdbc", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = StorageBackend.class, immediate = true)
@Designate(ocd = JdbcStorageComponent.Config.class)
public class JdbcStorageComponent implements StorageBackend {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorageComponent.class);

    @ObjectClassDefinition(name = "AI Flow JDBC storage", description = "Which DataSource holds the platform's data.")
    public @interface Config {
        @AttributeDefinition(name = "DataSource filter",
                description = "LDAP filter selecting the javax.sql.DataSource service, e.g. (dataSourceName=aiflow-mariadb)")
        String dataSource_target() default "(dataSourceName=aiflow-h2)";
    }

    private final JdbcStorage storage;

    @Activate
    public JdbcStorageComponent(@Reference(name = "dataSource") DataSource dataSource, Config config) throws SQLException {
        this(JdbcStorage.open(dataSource));
        LOG.info("AI Flow storage is {} ({})", storage.backend(), config.dataSource_target());
    }

    /** Over a storage opened already (tests, embedding without DS). */
    JdbcStorageComponent(JdbcStorage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return storage.backend();
    }

    @Override
    public EventStore eventStore() {
        return storage.eventStore();
    }

    @Override
    public SchedulerStore schedulerStore() {
        return storage.schedulerStore();
    }

    @Override
    public MetadataStore metadataStore() {
        return storage.metadataStore();
    }

    @Override
    public SecurityStore securityStore() {
        return storage.securityStore();
    }

    @Override
    public ClusterStore clusterStore() {
        return storage.clusterStore();
    }

    @Override
    public String toString() {
        return "JdbcStorageComponent[" + storage.backend() + "]";
    }
}
