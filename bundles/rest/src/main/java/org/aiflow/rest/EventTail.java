package org.aiflow.rest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.NotificationService.Subscription;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One subscription to the event log for every waiting HTTP request: long-polls and SSE streams
 * register a wake-up and re-read the log with their own filters when something was committed.
 * So a thousand parked requests cost a thousand callbacks, not a thousand threads.
 */
@Component(service = EventTail.class)
public class EventTail {
    private final Set<Runnable> wakeUps = ConcurrentHashMap.newKeySet();
    private final Subscription subscription;

    @Activate
    public EventTail(@Reference NotificationService notifications) {
        subscription = notifications.subscribe(notifications.latestVersion(), e -> wakeUps.forEach(Runnable::run));
    }

    /** Runs {@code wakeUp} after each committed event until the returned handle is closed. */
    AutoCloseable onEvent(Runnable wakeUp) {
        wakeUps.add(wakeUp);
        return () -> wakeUps.remove(wakeUp);
    }

    @Deactivate
    void deactivate() {
        subscription.close();
    }
}
