package org.aiflow.scheduler;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import org.aiflow.api.stats.FixedHistogram;
import org.aiflow.api.stats.HistogramSnapshot;
import org.aiflow.api.stats.SchedulerStatistics;

/**
 * The figures the scheduler records: decision latency (worker thread), failed submits (submit
 * threads), and how to count the events waiting in the worker. Recording allocates nothing once a
 * runner type has failed once.
 */
final class SchedulerStats implements SchedulerStatistics {
    /**
     * The bundle's figures in OSGi: kept across the re-creation of the scheduler component (a storage
     * switch re-creates it), so counters only reset with the bundle.
     */
    static final SchedulerStats BUNDLE = new SchedulerStats();

    private static final long MS = 1_000_000;
    private static final IntSupplier NONE = () -> 0;

    /** 0.5 ms to 10 s: a decision on H2 commits within milliseconds; a burst's queue adds its wait. */
    private final FixedHistogram decisionNanos = new FixedHistogram(MS / 2, MS, 2 * MS, 5 * MS, 10 * MS, 25 * MS, 50 * MS, 100 * MS,
            250 * MS, 500 * MS, 1000 * MS, 2500 * MS, 10_000 * MS);
    private final Map<String, LongAdder> submitFailures = new ConcurrentHashMap<>();
    private volatile IntSupplier queued = NONE;

    void decided(long nanos) {
        decisionNanos.record(nanos);
    }

    void submitFailed(String runnerType) {
        submitFailures.computeIfAbsent(runnerType == null ? "" : runnerType, t -> new LongAdder()).increment();
    }

    /** The worker whose queue is counted from now on (the running scheduler's). */
    synchronized void countQueue(IntSupplier depth) {
        queued = depth;
    }

    /** Counts no queue any more, unless another scheduler's took its place. */
    synchronized void stopCounting(IntSupplier depth) {
        if (queued == depth) {
            queued = NONE;
        }
    }

    @Override
    public HistogramSnapshot decisionNanos() {
        return decisionNanos.snapshot();
    }

    @Override
    public int queuedEvents() {
        return queued.getAsInt();
    }

    @Override
    public Map<String, Long> submitFailures() {
        Map<String, Long> counts = new TreeMap<>();
        submitFailures.forEach((type, n) -> counts.put(type, n.sum()));
        return counts;
    }
}
