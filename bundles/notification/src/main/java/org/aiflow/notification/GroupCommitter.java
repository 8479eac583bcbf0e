package org.aiflow.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.storage.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side group commit by combining: a publisher queues its drafts and takes the commit lock;
 * whoever holds it commits everything queued so far (up to a batch limit) in one transaction and
 * releases each publisher with its own events. While one commit runs, the next publishers queue
 * up, so under concurrency one transaction serves many publishers; a lone publisher commits on its
 * own thread with no hand-off. If a merged transaction fails, each request is retried alone, so
 * one request's failure never fails another's. Post-commit fan-out happens under the lock, in
 * version order.
 */
final class GroupCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending(List<EventDraft> drafts, CompletableFuture<List<Event>> result) {
    }

    private final EventStore store;
    private final int maxBatchEvents;
    private final Consumer<List<Event>> onCommitted;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();

    GroupCommitter(EventStore store, int maxBatchEvents, Consumer<List<Event>> onCommitted) {
        this.store = store;
        this.maxBatchEvents = maxBatchEvents;
        this.onCommitted = onCommitted;
    }

    /** Appends the drafts atomically; returns once they are committed. */
    List<Event> commit(List<EventDraft> drafts) {
        Pending pending = new Pending(drafts, new CompletableFuture<>());
        queue.add(pending);
        commitLock.lock();
        try {
            while (!pending.result().isDone()) {
                commitQueued();
            }
        } finally {
            commitLock.unlock();
        }
        try {
            return pending.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UnavailableException("event commit failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", e);
        }
    }

    /** Commits one batch of what is queued, oldest first. Called with the lock held. */
    private void commitQueued() {
        List<Pending> batch = new ArrayList<>();
        int events = 0;
        Pending next;
        while ((next = queue.peek()) != null && (batch.isEmpty() || events + next.drafts().size() <= maxBatchEvents)) {
            batch.add(queue.poll());
            events += next.drafts().size();
        }
        if (batch.size() == 1) {
            commitAlone(batch.get(0));
            return;
        }
        List<EventDraft> merged = new ArrayList<>(events);
        batch.forEach(p -> merged.addAll(p.drafts()));
        List<Event> stored;
        try {
            stored = store.append(merged);
        } catch (RuntimeException e) {
            LOG.debug("Merged commit of {} requests failed ({}); committing them one by one", batch.size(), e.getMessage());
            batch.forEach(this::commitAlone);
            return;
        }
        notifyCommitted(stored);
        int offset = 0;
        for (Pending p : batch) {
            p.result().complete(stored.subList(offset, offset + p.drafts().size()));
            offset += p.drafts().size();
        }
    }

    private void commitAlone(Pending p) {
        try {
            List<Event> stored = store.append(p.drafts());
            notifyCommitted(stored);
            p.result().complete(stored);
        } catch (RuntimeException e) {
            p.result().completeExceptionally(e);
        }
    }

    private void notifyCommitted(List<Event> stored) {
        try {
            onCommitted.accept(stored);
        } catch (RuntimeException e) {
            LOG.error("Post-commit fan-out failed", e);
        }
    }
}
