package org.aiflow.notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.aiflow.api.stats.EventLogStatistics;
import org.aiflow.api.stats.HistogramSnapshot;
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
 * Runs the {@link EventLog} in OSGi as the {@link NotificationService}, declared to DS (the component
 * hands every call to the log, which knows nothing of OSGi). It requires the {@link StorageBackend}
 * and uses its {@link EventStore}: without one it is not registered, and when the backend is
 * replaced (switched) it is re-created on the new one. A configuration change re-creates it too. Immediate: the retention
 * runs also while nobody uses the service. It also offers the publish figures ({@link EventLogStatistics}) a
 * metrics bundle reads; they live in {@link EventLogStats#BUNDLE}, so a re-creation keeps them.
 */
@Component(configurationPid = "org.aiflow.notification", service = {NotificationService.class, EventLogStatistics.class}, immediate = true)
@Designate(ocd = NotificationComponent.Config.class)
public class NotificationComponent implements NotificationService, EventLogStatistics {
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
    private StorageBackend storage;

    private EventLog log;
    private ScheduledExecutorService retention;

    @Activate
    void activate(Config config) {
        EventLog.Settings settings = new EventLog.Settings(config.maxValueBytes(), config.maxBatchEvents(), 1000,
                RetentionRule.parseAll(config.retention()), config.retentionKeepsSubscribed(), Math.max(0, config.crossNodePollMillis()));
        log = new EventLog(storage.eventStore(), settings, EventLogStats.BUNDLE);
        if (!settings.retention().isEmpty()) {
            retention = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aiflow-event-retention");
                t.setDaemon(true);
                return t;
            });
            retention.scheduleWithFixedDelay(this::applyRetention, config.retentionIntervalSeconds(),
                    config.retentionIntervalSeconds(), TimeUnit.SECONDS);
        }
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
        if (retention != null) {
            retention.shutdown();
        }
        log.close();
    }

    // ---------------------------------------------------------------- the statistics: the bundle's

    @Override
    public HistogramSnapshot publishNanos() {
        return EventLogStats.BUNDLE.publishNanos();
    }

    @Override
    public HistogramSnapshot commitBatchEvents() {
        return EventLogStats.BUNDLE.commitBatchEvents();
    }

    // ---------------------------------------------------------------- the service: the log's

    @Override
    public Event publish(EventDraft draft) {
        return log.publish(draft);
    }

    @Override
    public List<Event> publishAll(List<EventDraft> drafts) {
        return log.publishAll(drafts);
    }

    @Override
    public List<Event> list(EventQuery query) {
        return log.list(query);
    }

    @Override
    public long count(EventQuery query) {
        return log.count(query);
    }

    @Override
    public Map<String, Long> countBySender(EventQuery query) {
        return log.countBySender(query);
    }

    @Override
    public long latestVersion() {
        return log.latestVersion();
    }

    @Override
    public long latestVersion(String namespace, String key) {
        return log.latestVersion(namespace, key);
    }

    @Override
    public long versionBefore(Instant time) {
        return log.versionBefore(time);
    }

    @Override
    public Subscription subscribe(long afterVersion, EventListener listener) {
        return log.subscribe(afterVersion, listener);
    }

    @Override
    public SubscriptionInfo createSubscription(String name, long afterVersion) {
        return log.createSubscription(name, afterVersion);
    }

    @Override
    public List<SubscriptionInfo> subscriptions() {
        return log.subscriptions();
    }

    @Override
    public SubscriptionInfo subscription(String name) {
        return log.subscription(name);
    }

    @Override
    public SubscriptionInfo acknowledge(String name, long version) {
        return log.acknowledge(name, version);
    }

    @Override
    public void deleteSubscription(String name) {
        log.deleteSubscription(name);
    }

    @Override
    public Subscription resume(String name, EventListener listener) {
        return log.resume(name, listener);
    }
}
