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
 * One subscriber's delivery thread: reads the log after its cursor and hands events to the
 * listener in version order. Woken after every local commit; it also re-reads once a second so
 * events committed by another platform instance on the same database arrive too.
 */
final class LogSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(LogSubscription.class);
    private static final int PAGE = 1000;
    private static final long IDLE_RECHECK_MILLIS = 1000;

    private final EventStore store;
    private final EventListener listener;
    private final Consumer<LogSubscription> onClose;
    private final BlockingQueue<Long> wakeups = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    private volatile boolean closed;
    private long cursor;

    LogSubscription(EventStore store, long afterVersion, EventListener listener, Consumer<LogSubscription> onClose) {
        this.store = store;
        this.cursor = afterVersion;
        this.listener = listener;
        this.onClose = onClose;
        this.thread = new Thread(this::run, "aiflow-subscription-" + listener.getClass().getSimpleName());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake(long version) {
        wakeups.offer(version);
    }

    private void run() {
        while (!closed) {
            try {
                List<Event> page = store.list(EventQuery.after(cursor, PAGE));
                for (Event e : page) {
                    if (closed) {
                        return;
                    }
                    deliver(e);
                    cursor = e.version();
                }
                if (page.size() < PAGE) {
                    wakeups.poll(IDLE_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // storage unavailable: keep the cursor and try again after a pause
                LOG.warn("Subscription could not read events after version {}: {}", cursor, e.getMessage());
                try {
                    wakeups.poll(IDLE_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void deliver(Event e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.error("Event listener {} failed on event {}", listener, e.version(), ex);
        }
    }

    @Override
    public void close() {
        closed = true;
        onClose.accept(this);
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
