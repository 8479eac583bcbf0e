package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import org.aiflow.api.event.Event;

/**
 * Where the subscription's events wait for the worker: each with its subscription generation (events
 * of a closed subscription are dropped) and its arrival time (the start of its decision latency). The
 * worker takes them in batches of at most {@link SchedulerWorker#MAX_BATCH}; one drain at a time is
 * scheduled. Its depth (waiting plus being decided) is the scheduler's queue gauge.
 */
final class EventInbox {
    /** @param arrived {@link System#nanoTime()} at its arrival in the inbox: the start of its decision latency */
    private record Delivery(int generation, Event event, long arrived) {
    }

    /** What the worker decides in one go: the events, and (worker thread only, by index) when each arrived. */
    record Batch(List<Event> events, long[] arrivals) {
    }

    private final ConcurrentLinkedQueue<Delivery> inbox = new ConcurrentLinkedQueue<>();
    /** Events taken from the inbox and not decided yet: with the inbox, the queue depth. */
    private volatile int deciding;
    private final IntSupplier depth = () -> inbox.size() + deciding;
    private final long[] arrivals = new long[SchedulerWorker.MAX_BATCH];
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    IntSupplier depth() {
        return depth;
    }

    /** Adds an event of subscription {@code generation}; true if the caller is to schedule a drain (none is scheduled yet). */
    boolean add(int generation, Event event) {
        inbox.add(new Delivery(generation, event, System.nanoTime()));
        return drainScheduled.compareAndSet(false, true);
    }

    /**
     * Worker thread: takes up to {@link SchedulerWorker#MAX_BATCH} events of the current generation
     * above the cursor (at-least-once delivery: what is at or below the cursor is decided already).
     */
    Batch take(int generation, long cursor) {
        drainScheduled.set(false);
        List<Event> batch = new ArrayList<>();
        for (Delivery d = inbox.poll(); d != null; d = batch.size() < SchedulerWorker.MAX_BATCH ? inbox.poll() : null) {
            if (d.generation() == generation && d.event().version() > cursor) {
                arrivals[batch.size()] = d.arrived();
                batch.add(d.event());
            }
        }
        return new Batch(batch, arrivals);
    }

    /** True if more events wait and the caller is to schedule another drain for them. */
    boolean moreToDrain() {
        return !inbox.isEmpty() && drainScheduled.compareAndSet(false, true);
    }

    boolean isEmpty() {
        return inbox.isEmpty();
    }

    /** How many events taken from the inbox are being decided (0 when done). */
    void deciding(int count) {
        deciding = count;
    }

    void clear() {
        inbox.clear();
    }
}
