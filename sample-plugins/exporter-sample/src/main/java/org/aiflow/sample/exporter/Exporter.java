package org.aiflow.sample.exporter;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;

/**
 * The export loop, free of OSGi so that tests can run it against any {@link NotificationService}.
 *
 * <p>One thread repeats: read the named subscription's cursor and the latest version (the head);
 * list the next page of events of the chosen namespaces between them; hand the page to the sink;
 * once the sink has it (file: written and forced to disk; webhook: answered 2xx), acknowledge. A
 * page smaller than the batch size covers everything up to the head — versions are gap-safe, so no
 * event below the head can commit later — and the cursor moves to the head, past the events of
 * other namespaces too; a full page moves it to its last event. Nothing is acknowledged before the
 * sink has it, so after a crash or restart the loop resumes after the last acknowledged version and
 * misses nothing: <b>at-least-once</b>. What can be exported twice is the one page handed over
 * between the sink's success and the acknowledgement; the file sink even skips that (it resumes
 * after the last version in its file), a webhook receiver dedupes by {@code version}.
 *
 * <p>It waits for work on a live subscription that only wakes it, and at most {@code pollMillis}
 * (events committed by another node of a cluster reach the wake-up late). A failing sink or store
 * is retried every {@code retryMillis} from the acknowledged cursor, forever: the named subscription
 * keeps the events (retention spares events a named subscription has not acknowledged, when it is
 * configured to), so an exporter that is behind catches up.
 */
final class Exporter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Exporter.class.getName());

    /** Where a new subscription starts: at the latest event (only new ones) or at the first stored one. */
    enum StartAt { LATEST, EARLIEST }

    /**
     * @param subscription the named subscription, created at the first start
     * @param namespaces   the namespaces to export; empty: all
     * @param batchSize    events per sink call, 1 to {@value EventQuery#MAX_LIMIT}
     */
    record Settings(String subscription, List<String> namespaces, StartAt startAt, int batchSize, long pollMillis, long retryMillis) {
        Settings {
            namespaces = List.copyOf(namespaces);
            if (batchSize < 1 || batchSize > EventQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("batchSize must be 1 to " + EventQuery.MAX_LIMIT + ", got " + batchSize);
            }
            if (pollMillis < 1 || retryMillis < 1) {
                throw new IllegalArgumentException("pollMillis and retryMillis must be positive");
            }
        }
    }

    private final NotificationService notifications;
    private final Settings settings;
    private final Sink sink;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long cursor = -1;
    private volatile String lastError = "";
    private volatile NotificationService.Subscription wakeUp;

    Exporter(NotificationService notifications, Settings settings, Sink sink) {
        this.notifications = notifications;
        this.settings = settings;
        this.sink = sink;
        this.thread = new Thread(this::run, "aiflow-sample-exporter-" + settings.subscription());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Events handed to the sink since the start (a page exported again after a failure counts again). */
    long exported() {
        return exported.get();
    }

    /** The acknowledged version as last seen; -1 before the first read. */
    long cursor() {
        return cursor;
    }

    long failures() {
        return failures.get();
    }

    String lastError() {
        return lastError;
    }

    private void run() {
        long skipUpTo = -1; // the sink's own record of what it has; -1: ask it (at the start and after a failure)
        while (!closed) {
            try {
                if (wakeUp == null) {
                    long from = settings.startAt() == StartAt.EARLIEST ? 0 : notifications.latestVersion();
                    notifications.createSubscription(settings.subscription(), from); // unchanged if it exists
                    wakeUp = notifications.subscribe(notifications.latestVersion(), this::wakeOn);
                }
                if (skipUpTo < 0) {
                    skipUpTo = sink.lastExported();
                }
                wake.drainPermits(); // a commit after the head read below wakes the wait at the end
                long from = notifications.subscription(settings.subscription()).cursor();
                cursor = from;
                long head = notifications.latestVersion();
                boolean more = false;
                if (head > from) {
                    List<Event> page = notifications.list(new EventQuery(settings.namespaces(), null, null, null, from, head, null, null,
                            settings.batchSize()));
                    List<Event> fresh = new ArrayList<>(page.size());
                    for (Event e : page) {
                        if (e.version() > skipUpTo) {
                            fresh.add(e);
                        }
                    }
                    if (!fresh.isEmpty()) {
                        sink.export(fresh);
                        exported.addAndGet(fresh.size());
                    }
                    more = page.size() == settings.batchSize();
                    long upTo = more ? page.get(page.size() - 1).version() : head;
                    notifications.acknowledge(settings.subscription(), upTo);
                    cursor = upTo;
                }
                if (!more) {
                    wake.tryAcquire(settings.pollMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                failures.incrementAndGet();
                lastError = e.toString();
                LOG.log(Level.WARNING, "Event exporter ''{0}'' failed after version {1} (retrying in {2} ms): {3}",
                        settings.subscription(), cursor, settings.retryMillis(), e.toString());
                skipUpTo = -1;
                try {
                    sleepUnlessClosed(settings.retryMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void wakeOn(Event event) {
        if (settings.namespaces().isEmpty() || settings.namespaces().contains(event.namespace())) {
            wake.release();
        }
    }

    /** Waits for the retry delay; {@link #close()} ends the wait. */
    private void sleepUnlessClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!closed && (left = deadline - System.nanoTime()) > 0) {
            wake.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the loop, waiting for a page being exported; what was not acknowledged is exported after the next start. */
    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        NotificationService.Subscription w = wakeUp;
        if (w != null) {
            w.close();
        }
        sink.close();
    }
}
