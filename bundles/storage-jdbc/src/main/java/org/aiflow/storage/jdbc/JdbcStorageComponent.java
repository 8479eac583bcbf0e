package org.aiflow.storage.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.sql.DataSource;

import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.MetadataStore;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.spi.storage.SecurityStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the JDBC storage services (event, scheduler, metadata, security and cluster stores, together:
 * one backend provides all of them) over the DataSource selected by {@code dataSource.target} in
 * {@code etc/org.aiflow.storage.jdbc.cfg}. Changing that filter (e.g. from the H2 to the MariaDB
 * DataSource) re-activates this component on the new DataSource; the core services, which
 * reference the stores statically, rebind to the new registrations.
 */
@Component(configurationPid = "org.aiflow.storage.jdbc", configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
@Designate(ocd = JdbcStorageComponent.Config.class)
public class JdbcStorageComponent {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorageComponent.class);

    @ObjectClassDefinition(name = "AI Flow JDBC storage", description = "Which DataSource holds the platform's data.")
    public @interface Config {
        @AttributeDefinition(name = "DataSource filter",
                description = "LDAP filter selecting the javax.sql.DataSource service, e.g. (dataSourceName=aiflow-mariadb)")
        String dataSource_target() default "(dataSourceName=aiflow-h2)";
    }

    @Reference(name = "dataSource")
    private DataSource dataSource;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context, Config config) throws SQLException {
        JdbcStorage storage = JdbcStorage.open(dataSource);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("aiflow.storage.backend", storage.backend());
        props.put("aiflow.storage.dataSource", config.dataSource_target());
        // the ClusterStore first (and unregistered last): the scheduler activates as soon as the
        // SchedulerStore appears, and one that finds no ClusterStore then leads alone, unfenced, on
        // a database other nodes share (it decided events the real leader decided too)
        registrations.add(context.registerService(ClusterStore.class, storage.clusterStore(), props));
        registrations.add(context.registerService(EventStore.class, storage.eventStore(), props));
        registrations.add(context.registerService(SchedulerStore.class, storage.schedulerStore(), props));
        registrations.add(context.registerService(MetadataStore.class, storage.metadataStore(), props));
        registrations.add(context.registerService(SecurityStore.class, storage.securityStore(), props));
        LOG.info("AI Flow storage is {} ({})", storage.backend(), config.dataSource_target());
    }

    @Deactivate
    void deactivate() {
        for (int i = registrations.size() - 1; i >= 0; i--) { // in reverse: the ClusterStore goes last
            registrations.get(i).unregister();
        }
        registrations.clear();
    }
}
