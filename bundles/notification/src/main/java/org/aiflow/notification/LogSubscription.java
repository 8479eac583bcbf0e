package org.aiflow.notification;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.api.spi.storage.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's delivery thread. It first catches up from the store, then takes events pushed
 * to it right after each local commit — no database read on the hot path. Versions are dense, so
 * a pushed event that is not the cursor's successor means something else committed in between
 * (another platform instance on the same database) or pushes were dropped because the listener is
 * slow: the thread then reads the missing range from the store. With nothing pushed for a while it
 * re-reads the store too, to see other instances' events.
 */
final class LogSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(LogSubscription.class);
    private static final int PAGE = 1000;
    private static final List<Event> WAKE_UP = List.of();

    private final EventStore store;
    private final EventListener listener;
    private final Consumer<LogSubscription> onClose;
    private final long recheckMillis;
    private final BlockingQueue<List<Event>> pushed = new ArrayBlockingQueue<>(1024);
    private final Thread thread;
    private volatile boolean closed;
    private long cursor;

    LogSubscription(EventStore store, long afterVersion, EventListener listener, long recheckMillis, String name,
                    Consumer<LogSubscription> onClose) {
        this.store = store;
        this.cursor = afterVersion;
        this.listener = listener;
        this.recheckMillis = recheckMillis;
        this.onClose = onClose;
        this.thread = new Thread(this::run, "aiflow-subscription-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands committed events over; if the subscriber is too far behind they are dropped and read later. */
    void push(List<Event> committed) {
        pushed.offer(committed);
    }

    private void run() {
        boolean behind = true; // catch up first
        while (!closed) {
            try {
                if (behind) {
                    catchUp();
                    behind = false;
                }
                List<Event> batch = pushed.poll(recheckMillis, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    behind = true; // quiet: look for other instances' events
                    continue;
                }
                for (Event e : batch) {
                    if (closed) {
                        return;
                    }
                    if (e.version() <= cursor) {
                        continue; // seen already: at-least-once, deduped by version
                    }
                    if (e.version() != cursor + 1) {
                        catchUp(); // a gap: read it from the store (this also delivers e)
                        continue;
                    }
                    deliver(e);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // storage unavailable: keep the cursor, try again after a pause
                LOG.warn("Subscription {} could not read events after version {}: {}", thread.getName(), cursor, e.getMessage());
                behind = true;
                pause();
            }
        }
    }

    /** Delivers everything committed after the cursor. */
    private void catchUp() {
        List<Event> page;
        do {
            page = store.list(EventQuery.after(cursor, PAGE));
            for (Event e : page) {
                if (closed) {
                    return;
                }
                deliver(e);
            }
        } while (page.size() == PAGE);
    }

    private void deliver(Event e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.error("Event listener {} failed on event {}", listener, e.version(), ex);
        }
        cursor = e.version();
    }

    private void pause() {
        try {
            pushed.poll(recheckMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        onClose.accept(this);
        pushed.clear();
        pushed.offer(WAKE_UP);
        // no interrupt: a thread interrupted inside JDBC I/O can break an embedded database's file channel
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
