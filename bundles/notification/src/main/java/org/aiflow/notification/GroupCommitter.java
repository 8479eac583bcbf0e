package org.aiflow.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.storage.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side group commit: publishers queue their drafts and wait; one committer thread takes
 * everything queued (up to a batch limit) and appends it in one transaction, then releases each
 * publisher with its own events. Under concurrency one commit serves many publishers, so
 * throughput grows with them; a lone publisher pays only the hand-off. If a merged transaction
 * fails, each request is retried alone, so one request's failure never fails another's.
 *
 * <p>A dedicated thread rather than "whoever holds the lock commits": with a lock, publishers whose
 * events were already committed queue behind the next commit just to learn it, and throughput
 * collapses to about one publisher per transaction (measured: 16 clients on MariaDB went from
 * 11k to 2k events/s).
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** @param queuedAt {@link System#nanoTime()} when the publisher handed it over: the start of its publish latency */
    private record Pending(List<EventDraft> drafts, CompletableFuture<List<Event>> result, long queuedAt) {
    }

    private final EventStore store;
    private final EventLogStats stats;
    private final int maxBatchEvents;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    GroupCommitter(EventStore store, int maxBatchEvents, EventLogStats stats) {
        this.store = store;
        this.stats = stats;
        this.maxBatchEvents = maxBatchEvents;
        this.thread = new Thread(this::run, "aiflow-event-committer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Appends the drafts atomically; returns once they are committed. */
    List<Event> commit(List<EventDraft> drafts) {
        if (closed) {
            throw new UnavailableException("the notification service is shutting down", null);
        }
        Pending pending = new Pending(drafts, new CompletableFuture<>(), System.nanoTime());
        queue.add(pending);
        try {
            return pending.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UnavailableException("event commit failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the commit may still happen: the caller must treat the outcome as unknown and re-send with its idempotency key
            throw new UnavailableException("interrupted while waiting for the commit", e);
        }
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int events = first.drafts().size();
                Pending next;
                while (events < maxBatchEvents && (next = queue.peek()) != null
                        && events + next.drafts().size() <= maxBatchEvents) {
                    batch.add(queue.poll());
                    events += next.drafts().size();
                }
                commitBatch(batch, events);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.error("Event committer failed", t);
            }
        }
    }

    private void commitBatch(List<Pending> batch, int size) {
        if (batch.size() == 1) {
            commitAlone(batch.get(0));
            return;
        }
        List<EventDraft> merged = new ArrayList<>(size);
        batch.forEach(p -> merged.addAll(p.drafts()));
        List<Event> stored;
        try {
            stored = store.append(merged);
        } catch (RuntimeException e) {
            LOG.debug("Merged commit of {} requests failed ({}); committing them one by one", batch.size(), e.getMessage());
            batch.forEach(this::commitAlone);
            return;
        }
        long now = System.nanoTime();
        stats.committed(size);
        int offset = 0;
        for (Pending p : batch) {
            stats.published(now - p.queuedAt());
            p.result().complete(stored.subList(offset, offset + p.drafts().size()));
            offset += p.drafts().size();
        }
    }

    private void commitAlone(Pending p) {
        List<Event> stored;
        try {
            stored = store.append(p.drafts());
        } catch (Throwable e) {
            p.result().completeExceptionally(e);
            return;
        }
        stats.committed(p.drafts().size());
        stats.published(System.nanoTime() - p.queuedAt());
        p.result().complete(stored);
    }

    /** Commits what is already queued, then stops. */
    @Override
    public void close() {
        closed = true;
        // no interrupt: a thread interrupted inside JDBC I/O can break an embedded database's file channel
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new UnavailableException("the notification service stopped", null));
        }
    }
}
