package org.aiflow.notification;

import org.aiflow.api.stats.EventLogStatistics;
import org.aiflow.api.stats.FixedHistogram;
import org.aiflow.api.stats.HistogramSnapshot;

/**
 * The figures the {@link GroupCommitter} records: publish latency and commit sizes. Recording is a
 * {@link FixedHistogram} add (no allocation, no lock) on the committer's thread.
 */
public final class EventLogStats implements EventLogStatistics {
    /**
     * The bundle's figures in OSGi: kept across the re-creation of the notification component (a
     * storage switch or a configuration change re-creates it), so counters only reset with the bundle.
     */
    static final EventLogStats BUNDLE = new EventLogStats();

    private static final long MS = 1_000_000;
    /** 0.25 ms to 10 s: an embedded commit takes well under a millisecond, a loaded MariaDB some tens. */
    private final FixedHistogram publishNanos = new FixedHistogram(MS / 4, MS / 2, MS, 2 * MS, 5 * MS, 10 * MS, 25 * MS, 50 * MS,
            100 * MS, 250 * MS, 500 * MS, 1000 * MS, 2500 * MS, 10_000 * MS);
    /** Up to the default group commit size (1000) and beyond, for larger configured ones. */
    private final FixedHistogram batchEvents = new FixedHistogram(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000);

    void published(long nanos) {
        publishNanos.record(nanos);
    }

    void committed(int events) {
        batchEvents.record(events);
    }

    @Override
    public HistogramSnapshot publishNanos() {
        return publishNanos.snapshot();
    }

    @Override
    public HistogramSnapshot commitBatchEvents() {
        return batchEvents.snapshot();
    }
}
