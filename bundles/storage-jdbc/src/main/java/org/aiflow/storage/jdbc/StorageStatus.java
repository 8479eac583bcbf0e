package org.aiflow.storage.jdbc;

import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Why the storage is not there, for the container's 503 answer under {@code /aiflow/v1} (the
 * org.aiflow.jetty fragment asks every {@code Supplier} with {@code aiflow.unavailable.reason}).
 * With a wrong url, user or password pax-jdbc-config registers no DataSource at all (HikariCP fails
 * the pool at creation: "Failed to initialize pool" in karaf.log), so the storage, the core
 * services and every REST resource are gone, and users saw CXF's HTML 404 "No service was found.".
 * Not tied to the DataSource, so it answers exactly when the storage component cannot.
 *
 * <p>Whether the stores are open it asks SCR ({@link ServiceComponentRuntime}), not the service
 * registry: DS registers the {@link org.aiflow.api.spi.storage.StorageBackend} before it activates
 * {@link JdbcStorageComponent}, and leaves it registered when that activation fails.
 */
@Component(configurationPid = "org.aiflow.storage.jdbc", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = Supplier.class, property = "aiflow.unavailable.reason=storage")
public class StorageStatus implements Supplier<String> {
    private static final String H2 = "(dataSourceName=aiflow-h2)";
    private volatile BundleContext context;
    private volatile String target = H2;

    @Reference
    private ServiceComponentRuntime scr;

    @Activate
    @Modified
    void configure(BundleContext context, Map<String, Object> config) {
        this.context = context;
        Object filter = config.get("dataSource.target");
        this.target = filter == null ? H2 : filter.toString();
    }

    /** Null when the storage is up (or only its users are still starting). */
    @Override
    public String get() {
        try {
            if (context.getServiceReferences(DataSource.class, target).isEmpty()) {
                if (target.equals(H2)) { // not pax-jdbc-config's: the bundle org.aiflow.storage.h2 gives its own reason (e.g. the file is in use)
                    return "storage unavailable: the embedded H2 DataSource " + H2 + " is not open (bundle org.aiflow.storage.h2; see data/log/karaf.log)";
                }
                return "storage unavailable: no DataSource matches dataSource.target " + target + " (etc/org.aiflow.storage.jdbc.cfg);"
                        + " pax-jdbc-config could not create it from its configuration (config:list \"(service.factoryPid=org.ops4j.datasource)\"):"
                        + " wrong url, user or password, or the database is down (see data/log/karaf.log);"
                        + " a corrected configuration recovers without a restart";
            }
            ComponentConfigurationDTO storage = storageComponent();
            if (storage == null || storage.state != ComponentConfigurationDTO.ACTIVE) {
                return "storage unavailable: the DataSource " + target + " is there but the stores are not open"
                        + (storage != null && storage.state == ComponentConfigurationDTO.FAILED_ACTIVATION && storage.failure != null
                        ? ": " + firstLine(storage.failure) + " (see data/log/karaf.log; a changed dataSource.target or a new DataSource retries)"
                        : " (the schema is being migrated, or the database refused it: see data/log/karaf.log)");
            }
            return null;
        } catch (InvalidSyntaxException e) {
            return "storage unavailable: dataSource.target " + target + " in etc/org.aiflow.storage.jdbc.cfg is no valid LDAP filter";
        } catch (IllegalStateException e) {
            return null; // this bundle is stopping
        }
    }

    /** The configuration of {@link JdbcStorageComponent} (there is one), null if it has none yet. */
    private ComponentConfigurationDTO storageComponent() {
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(context.getBundle(), JdbcStorageComponent.class.getName());
        if (description == null) {
            return null;
        }
        return scr.getComponentConfigurationDTOs(description).stream().findFirst().orElse(null);
    }

    /** The exception's first line: SCR's failure text is a whole stack trace. */
    private static String firstLine(String failure) {
        int end = failure.indexOf('\n');
        return (end < 0 ? failure : failure.substring(0, end)).strip();
    }
}
