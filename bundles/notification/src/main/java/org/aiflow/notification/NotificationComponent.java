package org.aiflow.notification;

import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.spi.storage.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The OSGi face of {@link EventLog}. It requires an {@link EventStore}: without one it is not
 * registered, and when the store is replaced (backend switched) it is re-created on the new one.
 */
@Component(configurationPid = "org.aiflow.notification")
@Designate(ocd = NotificationComponent.Config.class)
public class NotificationComponent implements NotificationService {

    @ObjectClassDefinition(name = "AI Flow notification service")
    public @interface Config {
        @AttributeDefinition(name = "Maximum value size", description = "Largest event value accepted, in UTF-8 bytes")
        int maxValueBytes() default EventDraft.DEFAULT_MAX_VALUE_BYTES;
    }

    @Reference
    private EventStore store;

    private EventLog log;

    @Activate
    void activate(Config config) {
        log = new EventLog(store, config.maxValueBytes());
    }

    @Deactivate
    void deactivate() {
        log.close();
    }

    @Override
    public Event publish(EventDraft draft) {
        return log.publish(draft);
    }

    @Override
    public List<Event> list(EventQuery query) {
        return log.list(query);
    }

    @Override
    public long latestVersion() {
        return log.latestVersion();
    }

    @Override
    public Subscription subscribe(long afterVersion, EventListener listener) {
        return log.subscribe(afterVersion, listener);
    }
}
