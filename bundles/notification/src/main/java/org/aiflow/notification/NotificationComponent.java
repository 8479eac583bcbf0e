package org.aiflow.notification;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.spi.storage.EventStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link EventLog} in OSGi and registers it as the {@link NotificationService}. It requires
 * an {@link EventStore}: without one it is not registered, and when the store is replaced (the
 * backend switched) it is re-created on the new one. A configuration change re-creates it too.
 */
@Component(configurationPid = "org.aiflow.notification", service = {})
@Designate(ocd = NotificationComponent.Config.class)
public class NotificationComponent {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationComponent.class);

    @ObjectClassDefinition(name = "AI Flow notification service")
    public @interface Config {
        @AttributeDefinition(name = "Maximum value size", description = "Largest event value accepted, in UTF-8 bytes")
        int maxValueBytes() default EventDraft.DEFAULT_MAX_VALUE_BYTES;

        @AttributeDefinition(name = "Group commit size", description = "Most events committed in one transaction; also the largest batch a client may publish")
        int maxBatchEvents() default 1000;

        @AttributeDefinition(name = "Retention rules", description = "One per namespace: '<namespace|*> age=<n><s|m|h|d> count=<n>'; none keeps everything")
        String[] retention() default {};

        @AttributeDefinition(name = "Keep subscribed events", description = "Never delete events a named subscription has not acknowledged")
        boolean retentionKeepsSubscribed() default true;

        @AttributeDefinition(name = "Retention interval", description = "Seconds between retention runs")
        long retentionIntervalSeconds() default 300;

        @AttributeDefinition(name = "Cross-node poll interval",
                description = "On a database other nodes share (MariaDB), milliseconds between reads of the events they commit, "
                        + "which then reach this node's subscribers; 0 turns it off (other nodes' events then arrive only with "
                        + "this node's next commit or a subscriber's idle re-read, about 1 s). Not used on embedded H2")
        long crossNodePollMillis() default EventLog.Settings.DEFAULT_POLL_MILLIS;
    }

    @Reference
    private EventStore store;

    private EventLog log;
    private ScheduledExecutorService retention;
    private ServiceRegistration<NotificationService> registration;

    @Activate
    void activate(BundleContext context, Config config) {
        EventLog.Settings settings = new EventLog.Settings(config.maxValueBytes(), config.maxBatchEvents(), 1000,
                RetentionRule.parseAll(config.retention()), config.retentionKeepsSubscribed(), Math.max(0, config.crossNodePollMillis()));
        log = new EventLog(store, settings);
        if (!settings.retention().isEmpty()) {
            retention = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aiflow-event-retention");
                t.setDaemon(true);
                return t;
            });
            retention.scheduleWithFixedDelay(this::applyRetention, config.retentionIntervalSeconds(),
                    config.retentionIntervalSeconds(), TimeUnit.SECONDS);
        }
        registration = context.registerService(NotificationService.class, log, null);
    }

    private void applyRetention() {
        try {
            log.applyRetention();
        } catch (RuntimeException e) {
            LOG.warn("Event retention failed: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        if (retention != null) {
            retention.shutdown();
        }
        log.close();
    }
}
