package org.aiflow.notification;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.spi.storage.EventStore;

/**
 * The notification service over an {@link EventStore}, independent of OSGi so it can be embedded
 * and tested directly. Publishes commit through the store; subscriptions are woken right after
 * each commit and read from the store, so they see exactly the committed log in version order.
 */
public final class EventLog implements NotificationService, AutoCloseable {
    private final EventStore store;
    private final int maxValueBytes;
    private final Set<LogSubscription> subscriptions = new CopyOnWriteArraySet<>();

    public EventLog(EventStore store, int maxValueBytes) {
        this.store = store;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public Event publish(EventDraft draft) {
        return publishAll(List.of(draft)).get(0);
    }

    /** Publishes several events in one transaction; see {@link EventStore#append}. */
    public List<Event> publishAll(List<EventDraft> drafts) {
        drafts.forEach(d -> d.checkValueSize(maxValueBytes));
        List<Event> stored = store.append(drafts);
        long head = stored.stream().mapToLong(Event::version).max().orElse(0);
        subscriptions.forEach(s -> s.wake(head));
        return stored;
    }

    @Override
    public List<Event> list(EventQuery query) {
        return store.list(query);
    }

    @Override
    public long latestVersion() {
        return store.latestVersion();
    }

    @Override
    public Subscription subscribe(long afterVersion, EventListener listener) {
        LogSubscription s = new LogSubscription(store, afterVersion, listener, subscriptions::remove);
        subscriptions.add(s);
        s.start();
        return s;
    }

    /** Stops every subscription's delivery thread. */
    @Override
    public void close() {
        subscriptions.forEach(LogSubscription::close);
    }
}
