package org.aiflow.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.spi.storage.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's tail of a shared event log: one thread per node reads the events committed after the
 * highest version handed to the local subscribers ({@code version > ?} along the primary key, a
 * page at a time) every poll interval, and merges them with this node's own commits into one
 * stream in version order, each version once.
 *
 * <p>Why a version-ordered merge is enough: versions are allocated under the lock of the event
 * sequence row, held until the inserting transaction commits, so commit order equals version
 * order. A transaction that reads versions up to {@code v} therefore also sees every version below
 * {@code v} that still exists; a version missing from a page is deleted (retention), never late.
 *
 * <p>Local commits reach {@link #committed} right after their commit, from the committing thread.
 * If they continue the stream (their lowest new version is the successor of the highest delivered)
 * they go out at once, with no database read; otherwise another node (or a concurrent local commit
 * whose listener has not run yet) committed in between, and the poller is woken to read the range
 * from the store, the local events included. Whatever is at or below the highest delivered version
 * is dropped, so a version seen by both paths goes out once.
 */
final class EventTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventTail.class);
    static final int PAGE = 500;
    static final String THREAD_NAME = "aiflow-event-tail";

    private final EventStore store;
    private final long pollMillis;
    private final Consumer<List<Event>> fanOut;
    private final Object lock = new Object();
    private final Thread thread;
    /** Highest version handed to {@link #fanOut}; guarded by {@link #lock}. */
    private long delivered;
    /** A read is wanted before the interval ends; guarded by {@link #lock}. */
    private boolean wake;
    private volatile boolean closed;
    private volatile long polls;

    /**
     * @param delivered  the version to tail after (the latest when the node starts: subscribers catch up themselves)
     * @param pollMillis milliseconds between reads when nothing wakes the poller (more than 0)
     * @param fanOut     receives events in version order, each once; called under a lock: must not block
     */
    EventTail(EventStore store, long delivered, long pollMillis, Consumer<List<Event>> fanOut) {
        if (pollMillis <= 0) {
            throw new IllegalArgumentException("pollMillis must be > 0");
        }
        this.store = store;
        this.delivered = delivered;
        this.pollMillis = pollMillis;
        this.fanOut = fanOut;
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** This node's commit: goes out at once if it continues the stream, else the poller reads the gap. */
    void committed(List<Event> events) {
        synchronized (lock) {
            List<Event> fresh = newer(events);
            if (fresh.isEmpty()) {
                return;
            }
            if (contiguous(fresh, delivered)) {
                deliver(fresh);
            } else {
                wake = true;
                lock.notifyAll();
            }
        }
    }

    /** Versions above the highest delivered, ascending (a re-send in a batch returns an older event). */
    private List<Event> newer(List<Event> events) {
        List<Event> fresh = new ArrayList<>(events.size());
        for (Event e : events) {
            if (e.version() > delivered) {
                fresh.add(e);
            }
        }
        fresh.sort((a, b) -> Long.compare(a.version(), b.version()));
        return fresh;
    }

    private static boolean contiguous(List<Event> ascending, long after) {
        long expected = after + 1;
        for (Event e : ascending) {
            if (e.version() != expected++) {
                return false;
            }
        }
        return true;
    }

    private void deliver(List<Event> ascending) {
        fanOut.accept(ascending);
        delivered = ascending.get(ascending.size() - 1).version();
    }

    long delivered() {
        synchronized (lock) {
            return delivered;
        }
    }

    /** How many reads of the store the poller made; for tests and diagnostics. */
    long polls() {
        return polls;
    }

    private void run() {
        boolean failing = false;
        while (!closed) {
            long after;
            synchronized (lock) {
                long deadline = System.nanoTime() + pollMillis * 1_000_000L;
                try {
                    while (!wake && !closed) {
                        long left = (deadline - System.nanoTime()) / 1_000_000L;
                        if (left <= 0) {
                            break;
                        }
                        lock.wait(left);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                wake = false;
                after = delivered;
            }
            try {
                // no lock while reading: local commits keep going out meanwhile
                List<Event> page = store.list(EventQuery.after(after, PAGE));
                polls++;
                if (failing) {
                    LOG.info("Reading other nodes' events works again (after version {})", after);
                    failing = false;
                }
                synchronized (lock) {
                    List<Event> fresh = newer(page);
                    if (!fresh.isEmpty()) {
                        // the page is everything that exists between 'after' and its last version, so
                        // what is above 'delivered' follows on from it (gaps in it are deleted events)
                        deliver(fresh);
                    }
                    if (page.size() == PAGE) {
                        wake = true; // more to read
                    }
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    LOG.warn("Cannot read other nodes' events after version {} (retrying every {} ms): {}", after, pollMillis, e.getMessage());
                    failing = true;
                } else {
                    LOG.debug("Still cannot read other nodes' events: {}", e.getMessage());
                }
            }
        }
    }

    /** Stops the poller; no interrupt (a thread interrupted inside JDBC I/O can break a connection). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
