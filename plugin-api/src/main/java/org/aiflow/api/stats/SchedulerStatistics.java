package org.aiflow.api.stats;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the scheduler measured on this node since its bundle started (a storage switch does not reset
 * it). Registered by the scheduler bundle; read at scrape time.
 */
@ProviderType
public interface SchedulerStatistics {

    /**
     * Nanoseconds from an event's arrival in the scheduler's queue to the commit of the decision it
     * caused, for events whose decision changed something (events that decide nothing cost no commit
     * and are not counted).
     */
    HistogramSnapshot decisionNanos();

    /** Events waiting in this node's scheduler to be decided (0 on a node that does not lead). */
    int queuedEvents();

    /** Job submits that failed (the runner refused or threw, or the job's files or token could not be made), by runner type. */
    Map<String, Long> submitFailures();
}
